"""Writes for intakes: create, solve, change one pair (with a reason), confirm.

Solving builds an instance in the format of spec/formats/matching-instance.md from the scores
(the same rules and weights as one person's list; blocked pairs are left out, capacities are the
offers' free places) and runs the same solver as `vagval matcha`. Confirming turns every pair
into a placement "erbjuden" through catalogue.placement_services.placement_create, which takes
the place under the offer's lock: when an offer has filled up meanwhile nothing is confirmed
(one transaction) and the coach is told which offer.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from vagval.access.scope import Need, scope_for
from vagval.audit.services import AccessContext, access_log_record, access_log_record_many
from vagval.catalogue.models import Offer, OfferStatus, PlacementStatus
from vagval.catalogue.placement_services import placement_create
from vagval.common.errors import InvalidInput
from vagval.matching import selectors
from vagval.matching.intake_selectors import PURPOSE, intake_get, require_intake_writer
from vagval.matching.models import (
    IntakeOffer,
    IntakePair,
    IntakePerson,
    IntakeStatus,
    MatchingIntake,
    MatchingRun,
    RunKind,
)
from vagval.matching.scoring import Scorer
from vagval.matching.solver import parse_instance, solve
from vagval.matching.weights import enrolment_project_id, weights_for_person
from vagval.people.models import Enrolment, EnrolmentStatus, Person

# Person.gender → the instance format's genders (only kvinna and man count in the balance rule).
GENDER_IN_INSTANCE = {"kvinna": "kvinna", "man": "man", "icke_binar": "icke-binär", "annat": "annat"}
SOLVE_SECONDS = 20.0


def intake_create(
    *,
    ctx: AccessContext,
    name: str,
    person_ids: list[uuid.UUID],
    offer_ids: list[uuid.UUID],
    place_most_first: bool = False,
    max_gender_gap: Decimal | None = None,
) -> MatchingIntake:
    require_intake_writer(ctx.user)
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Ge intaget ett namn.")]
    if not person_ids:
        errors["persons"] = [_("Välj minst en person.")]
    if not offer_ids:
        errors["offers"] = [_("Välj minst ett erbjudande.")]
    if max_gender_gap is not None and not Decimal(0) <= max_gender_gap <= Decimal(1):
        errors["max_gender_gap"] = [_("Ange en andel mellan 0 och 1.")]
    if errors:
        raise InvalidInput(_("Intaget innehåller fel."), field_errors=errors)
    scope = scope_for(ctx, PURPOSE)
    persons = [scope.person(pid, need=Need.CHANGE, action=None, related=()) for pid in dict.fromkeys(person_ids)]
    if any(p.access.basis != "own_unit" for p in persons):
        raise InvalidInput(_("Välj bara personer som är inskrivna hos din enhet."))
    offers = list(Offer.objects.filter(pk__in=offer_ids, status=OfferStatus.OPEN))
    if len(offers) != len(set(offer_ids)):
        raise InvalidInput(_("Välj bara öppna erbjudanden."), field_errors={"offers": [_("Välj öppna erbjudanden.")]})
    unit_id = ctx.user.unit_id
    assert unit_id is not None  # require_intake_writer: a coach at a unit
    with transaction.atomic():
        intake = MatchingIntake.objects.create(
            name=name.strip(),
            unit_id=unit_id,
            project_id=enrolment_project_id(person_id=persons[0].person.pk, unit_id=unit_id),
            created_by=ctx.user,
            place_most_first=place_most_first,
            max_gender_gap=max_gender_gap,
        )
        IntakePerson.objects.bulk_create([IntakePerson(intake=intake, person=p.person) for p in persons])
        IntakeOffer.objects.bulk_create([IntakeOffer(intake=intake, offer=o) for o in offers])
    return intake


def intake_instance(*, intake: MatchingIntake, persons: list[Person]) -> dict[str, object]:
    """The intake as a solver instance (the JSON of spec/formats/matching-instance.md)."""
    rows = selectors.open_offers(list(intake.offers.values_list("offer_id", flat=True)))
    pairs = []
    for person in persons:
        profile = selectors.profile_of(person_id=person.pk, unit_id=intake.unit_id)
        facts = selectors.person_facts(person=person, profile=profile, unit_id=intake.unit_id)
        scorer = Scorer(facts, weights_for_person(person_id=person.pk, unit_id=intake.unit_id))
        for row in rows:
            explanation = scorer.score(row.facts)
            if not explanation.blocked:
                pairs.append({"person": str(person.pk), "offer": str(row.facts.id), "score": explanation.score})
    instance: dict[str, object] = {
        "objective": "count_then_score" if intake.place_most_first else "score",
        "persons": [
            {"id": str(p.pk), **({"gender": GENDER_IN_INSTANCE[p.gender]} if p.gender in GENDER_IN_INSTANCE else {})}
            for p in persons
        ],
        "offers": [{"id": str(row.facts.id), "capacity": row.free_places} for row in rows],
        "pairs": pairs,
    }
    if intake.max_gender_gap is not None:
        instance["max_gender_gap"] = float(intake.max_gender_gap)
    return instance


def _intake_persons(ctx: AccessContext, intake: MatchingIntake) -> list[Person]:
    persons = list(Person.objects.filter(pk__in=intake.persons.values("person_id")))
    return [s.person for s in scope_for(ctx, PURPOSE).shown(persons, action="matching.considered")]


def intake_solve(*, ctx: AccessContext, intake_id: uuid.UUID) -> MatchingIntake:
    """Solve the intake and store the assignment (the persons considered are logged)."""
    require_intake_writer(ctx.user)
    with transaction.atomic():
        intake = intake_get(viewer=ctx.user, intake_id=intake_id, for_update=True)
        if intake.status == IntakeStatus.CONFIRMED:
            raise InvalidInput(_("Intaget är redan bekräftat."))
        persons = _intake_persons(ctx, intake)
        data = intake_instance(intake=intake, persons=persons)
        result = solve(parse_instance(data), time_limit=SOLVE_SECONDS)
        scores = {(p["person"], p["offer"]): p["score"] for p in data["pairs"]}  # type: ignore[attr-defined]
        IntakePair.objects.filter(intake=intake).delete()
        IntakePair.objects.bulk_create(
            [
                IntakePair(intake=intake, person_id=person, offer_id=offer, score=scores[(person, offer)])
                for person, offer in result.assignment
            ]
        )
        intake.status = IntakeStatus.SOLVED
        intake.objective_value = result.objective_value
        intake.optimal = result.optimal
        intake.seconds = result.seconds
        intake.save()
        MatchingRun.objects.create(
            kind=RunKind.INTAKE,
            unit_id=intake.unit_id,
            actor=ctx.user,
            persons=len(persons),
            offers=len(data["offers"]),  # type: ignore[arg-type]
        )
    return intake


def intake_pair_change(
    *, ctx: AccessContext, intake_id: uuid.UUID, person_id: uuid.UUID, offer_id: uuid.UUID | None, reason: str
) -> None:
    """The coach changes one person's pair (another offer, or none) with a reason; logged."""
    require_intake_writer(ctx.user)
    reason = reason.strip()
    if not reason:
        raise InvalidInput(_("Skriv varför du ändrar."), field_errors={"reason": [_("Skriv en motivering.")]})
    with transaction.atomic():
        intake = intake_get(viewer=ctx.user, intake_id=intake_id, for_update=True)
        if intake.status != IntakeStatus.SOLVED:
            raise InvalidInput(_("Lös intaget först. Ett bekräftat intag ändras inte."))
        if not intake.persons.filter(person_id=person_id).exists():
            raise InvalidInput(_("Personen är inte med i intaget."))
        shown = scope_for(ctx, PURPOSE).person(person_id, need=Need.CHANGE, action=None, related=())
        IntakePair.objects.filter(intake=intake, person_id=person_id).delete()
        score = 0
        if offer_id is not None:
            if not intake.offers.filter(offer_id=offer_id).exists():
                raise InvalidInput(_("Erbjudandet är inte med i intaget."))
            row, explanation, _crowded = selectors.pair_explanation(
                person=shown.person, unit_id=intake.unit_id, offer_id=offer_id
            )
            if explanation.blocked:
                raise InvalidInput(
                    _("Paret är inte tillåtet: %(why)s.") % {"why": ", ".join(explanation.blocks)},
                    field_errors={"offer": list(explanation.blocks)},
                )
            if IntakePair.objects.filter(intake=intake, offer_id=offer_id).count() >= row.free_places:
                # the solver's capacities are the free places; a coach's change keeps to them too
                raise InvalidInput(_("Erbjudandet har inga fler lediga platser i intaget."))
            score = explanation.score
            IntakePair.objects.create(
                intake=intake, person_id=person_id, offer_id=offer_id, score=score, changed_reason=reason[:500]
            )
        else:
            # Taken out of the assignment: kept as a pair without an offer, so the change counts.
            IntakePair.objects.create(intake=intake, person_id=person_id, offer=None, changed_reason=reason[:500])
        intake.objective_value = sum(IntakePair.objects.filter(intake=intake).values_list("score", flat=True))
        intake.optimal = False  # the coach's assignment is no longer the solver's proven optimum
        intake.save(update_fields=["objective_value", "optimal", "updated_at"])
        access_log_record(
            ctx=ctx,
            action="matching.intake_changed",
            person_id=person_id,
            basis=shown.access.basis,
            detail={"intake": str(intake.pk), "offer": str(offer_id or ""), "reason": reason[:200]},
        )


def intake_confirm(*, ctx: AccessContext, intake_id: uuid.UUID) -> int:
    """Every pair becomes a placement "erbjuden" (all or none: one transaction). Returns how many."""
    require_intake_writer(ctx.user)
    with transaction.atomic():
        intake = intake_get(viewer=ctx.user, intake_id=intake_id, for_update=True)
        if intake.status != IntakeStatus.SOLVED:
            raise InvalidInput(_("Lös intaget innan du bekräftar."))
        pairs = list(IntakePair.objects.filter(intake=intake, offer__isnull=False).select_related("offer", "person"))
        grants = []
        for pair in pairs:
            offer = pair.offer
            assert offer is not None  # pairs without an offer were left out above
            enrolment = (
                Enrolment.objects.filter(person=pair.person, unit_id=intake.unit_id)
                .exclude(status=EnrolmentStatus.ENDED)
                .order_by("-starts_on")
                .first()
            )
            if enrolment is None:
                raise InvalidInput(_("%(name)s är inte längre inskriven hos enheten.") % {"name": pair.person})
            try:
                placement = placement_create(
                    ctx=ctx,
                    enrolment=enrolment,
                    offer=offer,
                    status=PlacementStatus.OFFERED,
                    reason=(pair.changed_reason or _("Intag: %(name)s") % {"name": intake.name})[:500],
                )
            except InvalidInput as exc:
                raise InvalidInput(
                    _("%(offer)s: %(why)s Inget är bekräftat.") % {"offer": offer.title, "why": exc.message}
                ) from exc
            pair.placement_id = placement.pk
            pair.save(update_fields=["placement_id", "updated_at"])
            grants.append((pair.person_id, "own_unit", None))
        intake.status = IntakeStatus.CONFIRMED
        intake.save(update_fields=["status", "updated_at"])
        access_log_record_many(
            ctx=ctx, action="matching.intake_confirmed", grants=grants, detail={"intake": str(intake.pk)}
        )
    return len(pairs)
