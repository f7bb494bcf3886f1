"""Turning the print HTML into a PDF with WeasyPrint (no network: only our own stylesheet)."""

from __future__ import annotations

from pathlib import Path

PRINT_CSS = Path(__file__).resolve().parent / "static" / "plans" / "print.css"


def render_pdf(*, html: str) -> bytes:
    # Imported here: WeasyPrint parses its own stylesheets on import, which every process
    # would otherwise pay for (and log) at start-up.
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    # The plan never loads anything: no protocol is allowed for images, fonts or links.
    document = HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=()), base_url=str(PRINT_CSS.parent))
    pdf = document.write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])
    assert pdf is not None  # write_pdf without a target returns the bytes
    return pdf
