"""The demo catalogue for Ludvika and Smedjebacken (issue 11): employers, a folk high school, the
Second Chance School, an association, their supervisors and offers, employers' needs and interests.

Not personal data: written straight to the tables in one transaction (a few dozen rows), once —
a database that already has providers is left as it is, so running the demo twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from vagval.catalogue.models import (
    EmployerInterest,
    EmployerNeed,
    FollowUpStatus,
    InterestKind,
    NeedHorizon,
    Offer,
    OfferKind,
    OfferStatus,
    Provider,
    ProviderContact,
    ProviderKind,
    StudyKind,
)
from vagval.demo.world import DemoWorld
from vagval.organisations.models import Municipality

LUDVIKA, SMEDJEBACKEN = "2085", "2061"


@dataclass(frozen=True)
class CatalogueResult:
    providers: int
    offers: int
    needs: int
    interests: int


# (key, name, kind, organisation number, SNI, municipality, address, owner org key, contacts)
_PROVIDERS = (
    ("verkstad", "Bergslagens Mekaniska AB", ProviderKind.EMPLOYER, "556677-8891", "C", LUDVIKA,
     "Industrigatan 4, Ludvika", "ludvika", (("Göran Lind", "handledare", "0240-123 45"),)),
    ("transformator", "Västerby Transformatorverkstad AB", ProviderKind.EMPLOYER, "556123-4561", "C", LUDVIKA,
     "Lyviksvägen 12, Ludvika", "ludvika", (("Sara Öberg", "handledare", "0240-555 10"),
                                            ("Mikael Nord", "mentor", "070-111 22 33"))),
    ("stal", "Smedjebackens Valsverk AB", ProviderKind.EMPLOYER, "556222-3334", "C", SMEDJEBACKEN,
     "Bruksgatan 1, Smedjebacken", "smedjebacken", (("Lars Brink", "handledare", "0240-700 00"),)),
    ("omsorg", "Ludvika kommun, vård och omsorg", ProviderKind.MUNICIPAL, "", "Q", LUDVIKA,
     "Eriksgatan 9, Ludvika", "ludvika", (("Helena Ström", "handledare", "0240-860 00"),)),
    ("hemtjanst", "Omsorgshuset i Smedjebacken AB", ProviderKind.EMPLOYER, "556333-4445", "Q", SMEDJEBACKEN,
     "Storgatan 20, Smedjebacken", "smedjebacken", (("Anneli Berg", "handledare", "0240-701 01"),)),
    ("handel", "ICA Kvantum Ludvika", ProviderKind.EMPLOYER, "556444-5556", "G", LUDVIKA,
     "Köpmannagatan 2, Ludvika", "ludvika", (("Johan Ek", "butikschef", "0240-100 20"),)),
    ("bygghandel", "Bergslagens Bygghandel AB", ProviderKind.EMPLOYER, "556555-6667", "G", SMEDJEBACKEN,
     "Verkstadsvägen 3, Smedjebacken", "smedjebacken", (("Eva Falk", "handledare", "0240-702 02"),)),
    ("folkhogskola", "Västerbergslagens folkhögskola", ProviderKind.EDUCATION, "", "P", LUDVIKA,
     "Folkhögskolevägen 1, Ludvika", "vbu", (("Karin Åström", "studievägledare", "0240-400 40"),)),
    ("vbu", "Västerbergslagens utbildningscentrum", ProviderKind.EDUCATION, "", "P", LUDVIKA,
     "Fräsvägen 2, Ludvika", "vbu", (("Nils Hägg", "lärare", "0240-866 00"),)),
    ("forening", "Ludvika Innebandyklubb", ProviderKind.ASSOCIATION, "", "R", LUDVIKA,
     "Ludvika sporthall", "ludvika", (("Mats Rask", "ledare", "070-222 33 44"),)),
    ("af", "Arbetsförmedlingen Ludvika", ProviderKind.AGENCY, "", "", LUDVIKA,
     "Sporthallsvägen 6, Ludvika", "af", (("Erik Sjö", "arbetsförmedlare", "010-486 00 00"),)),
)  # fmt: skip


def _offers(today: dt.date) -> tuple[dict, ...]:
    term = dt.date(today.year if today.month < 8 else today.year + 1, 8, 20)
    summer = dt.date(today.year if today.month < 6 else today.year + 1, 6, 15)
    return (
        {"provider": "verkstad", "kind": OfferKind.INTERNSHIP, "title": "Praktik i verkstad: svets och montering",
         "ssyk_area": "7", "capacity": 3, "hours_per_week": 30, "min_age": 18, "status": OfferStatus.OPEN,
         "description": "Du får lära dig svetsa och montera tillsammans med en erfaren handledare.",
         "travel": "Buss 1 från Ludvika station, 10 minuter.", "adaptations": "Skyddskläder finns på plats."},
        {"provider": "transformator", "kind": OfferKind.INTERNSHIP, "title": "Praktik på lagret",
         "ssyk_area": "9", "capacity": 2, "hours_per_week": 25, "status": OfferStatus.OPEN,
         "requires_driving_licence": True, "language": "Grundläggande svenska",
         "description": "Ta emot gods, packa och hålla ordning. Truckkort kan du ta under praktiken."},
        {"provider": "stal", "kind": OfferKind.JOB, "title": "Sommarjobb på valsverket",
         "ssyk_area": "8", "capacity": 4, "hours_per_week": 40, "min_age": 18, "status": OfferStatus.OPEN,
         "starts_on": summer, "ends_on": summer + dt.timedelta(days=56),
         "description": "Sommarjobb i produktionen. Du jobbar skift tillsammans med ett arbetslag."},
        {"provider": "omsorg", "kind": OfferKind.INTERNSHIP, "title": "Praktik i äldreomsorgen",
         "ssyk_area": "5", "capacity": 4, "hours_per_week": 20, "status": OfferStatus.OPEN,
         "description": "Följ med undersköterskor i vardagen på ett äldreboende."},
        {"provider": "hemtjanst", "kind": OfferKind.SOCIAL_TRAINING, "title": "Social träningsplats i köket",
         "ssyk_area": "5", "capacity": 2, "hours_per_week": 10, "status": OfferStatus.OPEN,
         "description": "Några timmar i veckan i ett lugnt kök. Du bestämmer takten tillsammans med handledaren.",
         "adaptations": "Lugn miljö, korta dagar i början."},
        {"provider": "handel", "kind": OfferKind.INTERNSHIP, "title": "Praktik i butik",
         "ssyk_area": "5", "capacity": 2, "hours_per_week": 25, "status": OfferStatus.FULL,
         "description": "Fylla på varor, ta hand om kunder och lära dig kassan."},
        {"provider": "bygghandel", "kind": OfferKind.INTERNSHIP, "title": "Praktik i bygghandel",
         "ssyk_area": "5", "capacity": 1, "hours_per_week": 30, "status": OfferStatus.DRAFT,
         "description": "Lager och kundtjänst i en bygghandel."},
        {"provider": "folkhogskola", "kind": OfferKind.STUDY, "study_kind": StudyKind.FOLK_HIGH_SCHOOL,
         "title": "Allmän kurs på folkhögskola", "capacity": 8, "hours_per_week": 30, "min_age": 18,
         "status": OfferStatus.OPEN, "starts_on": term, "ends_on": term + dt.timedelta(days=290),
         "description": "Läs in gymnasiet i lugn takt i en liten grupp. Studiemedel från CSN."},
        {"provider": "vbu", "kind": OfferKind.STUDY, "study_kind": StudyKind.SECOND_CHANCE,
         "title": "Second Chance School: arbete och studier", "capacity": 12, "hours_per_week": 30,
         "min_age": 16, "max_age": 24, "status": OfferStatus.OPEN, "owner": "ludvika",
         "starts_on": term, "ends_on": term + dt.timedelta(days=300),
         "description": "Du lär dig ett yrke på en arbetsplats och läser det du behöver i skolan, "
         "med en coach hela vägen."},
        {"provider": "vbu", "kind": OfferKind.STUDY, "study_kind": StudyKind.INTRODUCTION,
         "title": "Introduktionsprogram: yrkesintroduktion", "capacity": 10, "hours_per_week": 25,
         "max_age": 19, "status": OfferStatus.OPEN,
         "description": "För dig under 20 som vill börja gymnasiet via en yrkesinriktning."},
        {"provider": "forening", "kind": OfferKind.ASSOCIATION_ACTIVITY, "title": "Innebandy på tisdagar",
         "capacity": 15, "hours_per_week": 2, "status": OfferStatus.OPEN,
         "description": "Kom och spela innebandy med andra unga. Ingen erfarenhet behövs, klubben lånar ut klubba."},
        {"provider": "af", "kind": OfferKind.GROUP_ACTIVITY, "title": "Jobbsökarverkstad",
         "capacity": 10, "hours_per_week": 6, "status": OfferStatus.OPEN, "owner": "af",
         "description": "Skriv CV och öva på intervjuer i en liten grupp."},
        {"provider": "omsorg", "kind": OfferKind.MENTORSHIP, "title": "Mentor från vården",
         "capacity": 3, "hours_per_week": 1, "status": OfferStatus.OPEN,
         "description": "Träffa en mentor som jobbar i vården en gång i veckan och prata om jobb och framtid."},
    )  # fmt: skip


# (provider key, SSYK area, headcount, horizon)
_NEEDS = (
    ("verkstad", "7", 6, NeedHorizon.YEAR),
    ("transformator", "7", 10, NeedHorizon.YEAR),
    ("transformator", "8", 4, NeedHorizon.NOW),
    ("stal", "8", 5, NeedHorizon.LONGER),
    ("omsorg", "5", 12, NeedHorizon.NOW),
    ("hemtjanst", "5", 3, NeedHorizon.YEAR),
    ("handel", "5", 2, NeedHorizon.NOW),
    ("bygghandel", "9", 1, NeedHorizon.LONGER),
)

# (provider key, kind, status, places, days to next contact or None)
_INTERESTS = (
    ("verkstad", InterestKind.INTERNS, FollowUpStatus.AGREED, 3, None),
    ("transformator", InterestKind.MENTORS, FollowUpStatus.INTERESTED, 2, 7),
    ("stal", InterestKind.SUMMER_JOBS, FollowUpStatus.CONTACTED, 4, 14),
    ("handel", InterestKind.INTERNS, FollowUpStatus.NEW, None, 3),
    ("bygghandel", InterestKind.STUDY_VISITS, FollowUpStatus.DECLINED, None, None),
    ("hemtjanst", InterestKind.SUMMER_JOBS, FollowUpStatus.DORMANT, 2, 60),
)


def generate_catalogue(*, world: DemoWorld) -> CatalogueResult | None:
    """Create the demo catalogue unless the database already has one (then None)."""
    if Provider.objects.exists():
        return None
    today = timezone.localdate()
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=[LUDVIKA, SMEDJEBACKEN])}
    orgs = world.organisations
    with transaction.atomic():
        providers: dict[str, Provider] = {}
        supervisors: dict[str, ProviderContact] = {}
        for key, name, kind, number, sni, code, address, owner, contacts in _PROVIDERS:
            provider = Provider.objects.create(
                name=name,
                kind=kind,
                organisation_number=number,
                sni_section=sni,
                municipality=municipalities[code],
                address=address,
                owner=orgs[owner],
            )
            providers[key] = provider
            made = ProviderContact.objects.bulk_create(
                ProviderContact(provider=provider, name=person, role=role, phone=phone)
                for person, role, phone in contacts
            )
            supervisors[key] = made[0]
        offers = []
        for spec in _offers(today):
            spec = dict(spec)
            key = str(spec.pop("provider"))
            provider = providers[key]
            owner_org = orgs[str(spec.pop("owner"))] if "owner" in spec else provider.owner
            hours = spec.pop("hours_per_week", None)
            offers.append(
                Offer(
                    provider=provider,
                    owner=owner_org,
                    municipality=provider.municipality,
                    address=provider.address,
                    supervisor=supervisors[key],
                    hours_per_week=Decimal(hours) if hours is not None else None,
                    **spec,
                )
            )
        Offer.objects.bulk_create(offers)
        needs = EmployerNeed.objects.bulk_create(
            EmployerNeed(
                provider=providers[key],
                ssyk_area=ssyk,
                sni_section=providers[key].sni_section,
                headcount=headcount,
                horizon=horizon,
                contact=supervisors[key],
                stated_on=today - dt.timedelta(days=20 + 9 * index),
                owner=providers[key].owner,
            )
            for index, (key, ssyk, headcount, horizon) in enumerate(_NEEDS)
        )
        interests = EmployerInterest.objects.bulk_create(
            EmployerInterest(
                provider=providers[key],
                kind=kind,
                status=status,
                places=places,
                contact=supervisors[key],
                next_contact_on=today + dt.timedelta(days=days) if days is not None else None,
                owner=providers[key].owner,
            )
            for key, kind, status, places, days in _INTERESTS
        )
    return CatalogueResult(providers=len(providers), offers=len(offers), needs=len(needs), interests=len(interests))
