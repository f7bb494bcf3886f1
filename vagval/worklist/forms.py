from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from vagval.people.forms import FastHiddenInput, FastSelect
from vagval.worklist.models import ItemMark, MarkState


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class FilterForm(forms.Form):
    """The list's filter by kind. The filter by person is a link on each row ("bara den här
    personen"), so the page never has to load and log every person of the list for a menu."""

    # Widgets that write their markup in Python (people.forms, tested against Django's
    # templates): the select through the form renderer's templates was a tenth of the page.
    typ = forms.ChoiceField(label=_("Typ"), required=False, widget=FastSelect)
    person = forms.UUIDField(required=False, widget=FastHiddenInput)

    def __init__(self, *args: Any, kinds: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["typ"].choices = [("", _("Alla typer")), *kinds]  # type: ignore[attr-defined]


class MarkForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Vad vill du göra?"),
        choices=[(MarkState.DONE, _("Markera som klar")), (MarkState.MOVED, _("Flytta till ett senare datum"))],
        widget=forms.RadioSelect,
    )
    moved_to = forms.DateField(label=_("Nytt datum"), required=False, widget=DateInput)
    reason = forms.CharField(
        label=_("Anledning"),
        required=False,
        max_length=500,
        help_text=_("Krävs när du flyttar. Skriv kort, utan känsliga uppgifter."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @staticmethod
    def initial_from(mark: ItemMark | None) -> dict[str, Any]:
        """The form filled in from a stored mark (beside the editor's own after a conflict)."""
        if mark is None:
            return {}
        return {"state": mark.state, "moved_to": mark.moved_to, "reason": mark.reason}


class SettingForm(forms.Form):
    daily_email = forms.BooleanField(
        label=_("Skicka ett e-postmeddelande varje morgon om hur många saker som väntar"),
        required=False,
        help_text=_("Brevet innehåller bara antalet och en länk till Vägval, aldrig namn eller andra uppgifter."),
    )
