"""Forms for matching: they parse input; the services apply the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from vagval.catalogue.models import OfferKind
from vagval.common.forms import add_service_errors  # noqa: F401 (the views import it from here)
from vagval.matching.models import MatchingProfile
from vagval.matching.services import ProfileData
from vagval.matching.ssyk import ssyk_choices
from vagval.matching.weights import WEIGHT_FIELDS


class ProfileForm(forms.Form):
    ssyk_areas = forms.MultipleChoiceField(
        label=_("Yrkesområden den unga är intresserad av"),
        choices=ssyk_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    offer_kinds = forms.MultipleChoiceField(
        label=_("Typer av erbjudanden den unga vill ha"),
        choices=OfferKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    wishes = forms.CharField(
        label=_("Önskemål med den ungas egna ord"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    max_travel_minutes = forms.IntegerField(
        label=_("Längsta restid enkel väg (minuter)"), min_value=0, max_value=600, required=False
    )
    hours_per_week = forms.IntegerField(label=_("Högst timmar per vecka"), min_value=0, max_value=80, required=False)
    has_driving_licence = forms.BooleanField(label=_("Har körkort"), required=False)
    languages = forms.CharField(
        label=_("Språk den unga talar"),
        max_length=200,
        required=False,
        help_text=_("Skriv språken med kommatecken emellan, till exempel: svenska, arabiska."),
    )

    @staticmethod
    def initial_from(profile: MatchingProfile | None) -> dict[str, object]:
        if profile is None:
            return {}
        return {
            "ssyk_areas": profile.ssyk_areas,
            "offer_kinds": profile.offer_kinds,
            "wishes": profile.wishes,
            "max_travel_minutes": profile.max_travel_minutes,
            "hours_per_week": profile.hours_per_week,
            "has_driving_licence": profile.has_driving_licence,
            "languages": profile.languages,
        }

    def profile_data(self) -> ProfileData:
        data = self.cleaned_data
        return ProfileData(
            ssyk_areas=list(data["ssyk_areas"]),
            offer_kinds=list(data["offer_kinds"]),
            wishes=data["wishes"],
            max_travel_minutes=data["max_travel_minutes"],
            hours_per_week=data["hours_per_week"],
            has_driving_licence=data["has_driving_licence"],
            languages=data["languages"],
        )


class OfferPreferenceForm(forms.Form):
    prefers_local = forms.BooleanField(
        label=_("Anordnaren föredrar unga som bor i erbjudandets kommun"),
        required=False,
        help_text=_("Matchningen ger då unga från kommunen lite högre poäng. Ingen stoppas av det."),
    )


class DecisionForm(forms.Form):
    offer = forms.UUIDField(label=_("Erbjudande"), widget=forms.HiddenInput)
    reason = forms.CharField(label=_("Motivering"), max_length=500, required=False)


class WeightsForm(forms.Form):
    interest = forms.IntegerField(label=_("Intresse"), min_value=0, max_value=100)
    travel = forms.IntegerField(label=_("Restid"), min_value=0, max_value=100)
    requirements = forms.IntegerField(label=_("Krav"), min_value=0, max_value=100)
    ranking = forms.IntegerField(label=_("Den ungas rangordning"), min_value=0, max_value=100)
    provider = forms.IntegerField(label=_("Anordnarens önskemål"), min_value=0, max_value=100)
    continuity = forms.IntegerField(label=_("Kontinuitet"), min_value=0, max_value=100)

    def values(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in WEIGHT_FIELDS}


class IntakeForm(forms.Form):
    name = forms.CharField(label=_("Namn på intaget"), max_length=200)
    persons = forms.MultipleChoiceField(label=_("Personer"), widget=forms.CheckboxSelectMultiple)
    offers = forms.MultipleChoiceField(label=_("Erbjudanden"), widget=forms.CheckboxSelectMultiple)
    place_most_first = forms.BooleanField(label=_("Placera så många som möjligt först"), required=False)
    max_gender_gap = forms.DecimalField(
        label=_("Största skillnad i andel placerade mellan kvinnor och män (0–1)"),
        min_value=0,
        max_value=1,
        decimal_places=2,
        required=False,
        help_text=_("Till exempel 0,1: andelarna placerade kvinnor och män får skilja högst 10 procentenheter."),
    )

    def __init__(self, *args: object, persons: list[tuple[str, str]], offers: list[tuple[str, str]], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["persons"].choices = persons  # type: ignore[attr-defined]
        self.fields["offers"].choices = offers  # type: ignore[attr-defined]


class PairChangeForm(forms.Form):
    person = forms.UUIDField(widget=forms.HiddenInput)
    offer = forms.UUIDField(label=_("Nytt erbjudande"), required=False)
    reason = forms.CharField(label=_("Motivering"), max_length=500)
