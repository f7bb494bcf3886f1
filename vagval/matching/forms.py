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
