// "Skriv ut" on the young person's overview. The button is hidden until this script runs,
// so without JavaScript the page shows only the Ctrl+P hint.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    var area = button.closest("[data-print-area]");
    if (area) { area.hidden = false; }
    button.addEventListener("click", function () { window.print(); });
  });
});
