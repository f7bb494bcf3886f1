"""Writes: loading instrument versions, recording responses, and personal links.

Every write runs in transaction.atomic with an access-log entry. Answers through a personal link
have no logged-in user: they are logged in the name of the link's creator with basis "self"
(egen personlig länk) and detail {"via": "link"}.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from vagval.access.checks import person_access
from vagval.accounts.models import User
from vagval.assessments.definitions import (
    RESPONDENTS,
    Definition,
    DefinitionError,
    compute_scores,
    definition_of,
    load_json,
    parse_definition,
    validate_answers,
)
from vagval.assessments.definitions import (
    checksum as definition_checksum,
)
from vagval.assessments.links import LinkRefused, new_token, token_hash
from vagval.assessments.models import (
    DEFAULT_LINK_DAYS,
    AssessmentLink,
    Instrument,
    InstrumentVersion,
    Response,
    ResponseContext,
    SentVia,
    VersionSource,
)
from vagval.assessments.senders import get_sender
from vagval.audit.models import AccessBasis
from vagval.audit.services import AccessContext, access_log_record
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.people.models import Person

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"
FILE_NAME = re.compile(r"^v(\d{1,4})\.json$")
MAX_LINK_DAYS = 60
EARLIEST_ANSWER = dt.date(2000, 1, 1)
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{6,18}[0-9]$")

# --- Loading instrument versions ------------------------------------------------------------------


class VersionRefused(Exception):
    """A stored version may not be replaced; the message (Swedish) says why."""


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.refused and not self.invalid


def _store_version(
    *, definition: Definition, data: Any, source: str, user: User | None, replace: bool
) -> tuple[InstrumentVersion, str]:
    """Create (or, when allowed, replace) one version; returns it and "created"/"updated"/"unchanged"."""
    digest = definition_checksum(data)
    instrument = Instrument.objects.select_for_update().filter(slug=definition.slug).first()
    if instrument is None:
        instrument = Instrument.objects.create(
            slug=definition.slug, title=definition.title, sensitive=definition.sensitive
        )
    elif instrument.sensitive != definition.sensitive:
        raise VersionRefused(
            _(
                '%(title)s: en ny version får inte ändra om instrumentet är känsligt ("sensitive"). Det '
                "avgör vem som får se alla tidigare svar. Skapa ett nytt instrument med ett nytt kortnamn i "
                "stället."
            )
            % {"title": definition.title}
        )
    version = instrument.versions.filter(number=definition.version).first()
    outcome = "created"
    if version is None:
        version = InstrumentVersion.objects.create(
            instrument=instrument,
            number=definition.version,
            definition=data,
            checksum=digest,
            source=source,
            loaded_by=user,
        )
    elif version.checksum == digest:
        outcome = "unchanged"
    elif not replace:
        raise VersionRefused(
            _("Version %(version)s av %(title)s finns redan. Ge den nya versionen ett högre nummer.")
            % {"version": definition.version, "title": definition.title}
        )
    elif version.responses.exists() or version.links.exists():
        raise VersionRefused(
            _(
                "Version %(version)s av %(title)s har redan använts och kan inte ändras. Lägg ändringen i en "
                "ny fil, v%(next_version)s.json."
            )
            % {"version": definition.version, "title": definition.title, "next_version": definition.version + 1}
        )
    elif version.source != source:
        raise VersionRefused(
            _(
                "Version %(version)s av %(title)s laddades upp av en administratör och skrivs inte över av "
                "en fil. Ge filen ett högre versionsnummer."
            )
            % {"version": definition.version, "title": definition.title}
        )
    else:
        version.definition = data
        version.checksum = digest
        version.loaded_at = timezone.now()
        version.save()
        outcome = "updated"
    latest = instrument.versions.order_by("-number").first()
    if latest is not None and (instrument.current_version_id != latest.pk or outcome != "unchanged"):
        instrument.current_version = latest
        instrument.title = definition_of(latest).title
        instrument.save(update_fields=["current_version", "title", "updated_at"])
    return version, outcome


def instruments_load_files(*, directory: Path | None = None) -> LoadReport:
    """Load every instruments/<slug>/v<N>.json into the database. Idempotent: an unchanged file
    is left alone; a changed file replaces its version only while nobody has answered it."""
    report = LoadReport()
    root = directory or INSTRUMENTS_DIR
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        files = sorted((int(m.group(1)), p) for p in folder.iterdir() if (m := FILE_NAME.match(p.name)) is not None)
        for number, path in files:
            name = f"{folder.name}/{path.name}"
            try:
                data = load_json(path.read_bytes())
                definition = parse_definition(data)
            except DefinitionError as exc:
                report.invalid.append(f"{name}: " + " ".join(exc.errors))
                continue
            if definition.slug != folder.name or definition.version != number:
                report.invalid.append(
                    f"{name}: filen säger slug {definition.slug!r} och version {definition.version}, "
                    f"men ligger som {folder.name}/v{number}.json."
                )
                continue
            try:
                with transaction.atomic():
                    _version, outcome = _store_version(
                        definition=definition, data=data, source=VersionSource.FILE, user=None, replace=True
                    )
            except VersionRefused as exc:
                report.refused.append(f"{name}: {exc}")
                continue
            getattr(report, outcome).append(name)
    return report


def instrument_version_upload(*, ctx: AccessContext, raw: bytes) -> InstrumentVersion:
    """An administrator adds a new version (or a new instrument) from an uploaded JSON definition."""
    if not ctx.user.is_administrator:
        raise PermissionDenied(_("Bara administratörer kan lägga in instrument."))
    try:
        data = load_json(raw)
        definition = parse_definition(data)
    except DefinitionError as exc:
        raise InvalidInput(_("Definitionen är inte giltig."), field_errors={"file": exc.errors}) from None
    with transaction.atomic():
        highest = (
            InstrumentVersion.objects.filter(instrument__slug=definition.slug).aggregate(n=Max("number"))["n"] or 0
        )
        if definition.version <= highest:
            raise InvalidInput(
                _("Versionen finns redan."),
                field_errors={
                    "file": [
                        _(
                            "Det finns redan version %(highest)s av %(slug)s. Ge den nya versionen nummer %(next)s "
                            '("version": %(next)s).'
                        )
                        % {"highest": highest, "slug": definition.slug, "next": highest + 1}
                    ]
                },
            )
        try:
            version, _outcome = _store_version(
                definition=definition, data=data, source=VersionSource.UPLOAD, user=ctx.user, replace=False
            )
        except VersionRefused as exc:
            raise InvalidInput(str(exc), field_errors={"file": [str(exc)]}) from None
        access_log_record(
            ctx=ctx,
            action="instrument.version_uploaded",
            basis=AccessBasis.ADMINISTRATION,
            detail={"instrument": definition.slug, "version": definition.version},
        )
    return version


# --- Responses --------------------------------------------------------------------------------------


def _require_writer(ctx: AccessContext, person: Person) -> None:
    access = person_access(viewer=ctx.user, person=person)
    if access is None or access.basis != AccessBasis.OWN_UNIT or not access.can_write:
        raise PermissionDenied(_("Du får inte fylla i kartläggningar för den här personen."))


def response_create(
    *,
    ctx: AccessContext,
    person: Person,
    version: InstrumentVersion,
    respondent: str,
    context: str,
    answered_on: dt.date,
    raw_answers: Mapping[str, Any],
) -> Response:
    """A coach records a response at their unit (usually together with the young person)."""
    _require_writer(ctx, person)
    definition = definition_of(version)
    errors: dict[str, list[str]] = {}
    if respondent not in definition.respondents:
        allowed = ", ".join(RESPONDENTS[r].lower() for r in definition.respondents)
        errors["respondent"] = [_("Det här formuläret besvaras av: %(allowed)s.") % {"allowed": allowed}]
    if context not in ResponseContext.values:
        errors["context"] = [_("Välj ett av tillfällena.")]
    today = timezone.localdate()
    if answered_on > today:
        errors["answered_on"] = [_("Datumet kan inte vara i framtiden.")]
    elif answered_on < EARLIEST_ANSWER:
        errors["answered_on"] = [_("Kontrollera datumet.")]
    try:
        answers = validate_answers(definition, raw_answers)
    except InvalidInput as exc:
        errors.update(exc.field_errors)
        answers = {}
    if errors:
        raise InvalidInput(_("Några svar saknas eller är felaktiga."), field_errors=errors)
    assert ctx.user.unit_id is not None
    with transaction.atomic():
        response = Response.objects.create(
            person=person,
            instrument=version.instrument,
            instrument_version=version,
            unit_id=ctx.user.unit_id,
            respondent=respondent,
            filled_by=ctx.user,
            context=context,
            answered_on=answered_on,
            answers=answers,
            scores=compute_scores(definition, answers),
        )
        access_log_record(
            ctx=ctx,
            action="assessment.response_created",
            person_id=person.pk,
            detail={"instrument": definition.slug, "version": version.number, "response": str(response.pk)},
        )
    return response


# --- Personal links ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreatedLink:
    link: AssessmentLink
    token: str
    url: str
    sent: bool


def _check_address(send_via: str, send_to: str) -> str:
    address = send_to.strip()
    if send_via == SentVia.EMAIL:
        try:
            validate_email(address)
        except ValidationError:
            raise InvalidInput(
                _("Ogiltig adress."), field_errors={"send_to": [_("Skriv en giltig e-postadress.")]}
            ) from None
    elif send_via == SentVia.SMS:
        if not PHONE.match(address):
            raise InvalidInput(
                _("Ogiltigt nummer."),
                field_errors={"send_to": [_("Skriv ett mobilnummer, till exempel 070-123 45 67.")]},
            )
    else:
        return ""
    return address


def _message(*, link: AssessmentLink, definition: Definition, url: str) -> tuple[str, str]:
    """Subject and body: first name, the form's title, the link and its last day. No personnummer."""
    last_day = timezone.localtime(link.expires_at).date()
    first_name = link.person.first_name
    if link.respondent == "handledare":
        subject = f"Bedömning av praktikanten {first_name}"
        body = (
            f"Hej!\n\nHär är en länk till {definition.title.lower()} av praktikanten {first_name}:\n{url}\n\n"
            f"Länken gäller till och med {last_day:%Y-%m-%d} och kan bara skickas in en gång.\n\n"
            f"Hälsningar\n{link.unit.name}"
        )
    else:
        subject = f"Formulär från Vägval: {definition.title}"
        body = (
            f"Hej {first_name}!\n\nHär är en länk till formuläret {definition.title}:\n{url}\n\n"
            f"Länken gäller till och med {last_day:%Y-%m-%d} och kan bara skickas in en gång.\n\n"
            f"Hälsningar\n{link.unit.name}"
        )
    return subject, body


def link_create(
    *,
    ctx: AccessContext,
    person: Person,
    instrument: Instrument,
    respondent: str,
    context: str,
    valid_days: int = DEFAULT_LINK_DAYS,
    send_via: str = SentVia.NONE,
    send_to: str = "",
    url_for: Callable[[str], str],
) -> CreatedLink:
    """Create a personal link to the instrument's current version, and send it if asked.

    The token is returned once (for showing and sending) and only its hash is stored.
    `url_for(token)` builds the absolute address of the public page.
    """
    _require_writer(ctx, person)
    version = instrument.current_version
    if version is None:
        raise InvalidInput(
            _("Instrumentet har ingen version."), field_errors={"target": [_("Välj ett annat formulär.")]}
        )
    definition = definition_of(version)
    errors: dict[str, list[str]] = {}
    if respondent not in definition.link_respondents:
        errors["target"] = [_("Det här formuläret kan inte skickas som länk till den mottagaren.")]
    if context not in ResponseContext.values:
        errors["context"] = [_("Välj ett av tillfällena.")]
    if not 1 <= valid_days <= MAX_LINK_DAYS:
        errors["valid_days"] = [_("Välj 1–%(max_days)s dagar.") % {"max_days": MAX_LINK_DAYS}]
    if send_via not in SentVia.values:
        errors["send_via"] = [_("Välj hur länken ska lämnas.")]
    if errors:
        raise InvalidInput(_("Kontrollera uppgifterna."), field_errors=errors)
    address = _check_address(send_via, send_to)
    token = new_token()
    assert ctx.user.unit_id is not None
    with transaction.atomic():
        link = AssessmentLink.objects.create(
            person=person,
            instrument_version=version,
            respondent=respondent,
            context=context,
            unit_id=ctx.user.unit_id,
            token_hash=token_hash(token),
            created_by=ctx.user,
            expires_at=timezone.now() + dt.timedelta(days=valid_days),
            sent_via=send_via,
            sent_to=address,
        )
        access_log_record(
            ctx=ctx,
            action="assessment_link.created",
            person_id=person.pk,
            detail={
                "link": str(link.pk),
                "instrument": definition.slug,
                "version": version.number,
                "respondent": respondent,
                "sent_via": send_via or "visad",
            },
        )
    url = url_for(token)
    sent = False
    if send_via:
        subject, body = _message(link=link, definition=definition, url=url)
        sender = get_sender()
        if send_via == SentVia.EMAIL:
            sender.send_email(to=address, subject=subject, body=body)
        else:
            sender.send_sms(to=address, body=body)
        sent = True
    return CreatedLink(link=link, token=token, url=url, sent=sent)


def link_revoke(*, ctx: AccessContext, link: AssessmentLink) -> AssessmentLink:
    _require_writer(ctx, link.person)
    if link.unit_id != ctx.user.unit_id:
        raise PermissionDenied(_("Länken skapades på en annan enhet."))
    with transaction.atomic():
        locked = AssessmentLink.objects.select_for_update().get(pk=link.pk)
        if locked.used_at is not None:
            raise InvalidInput(_("Formuläret är redan skickat; länken fungerar inte längre."))
        if locked.revoked_at is not None:
            raise InvalidInput(_("Länken är redan återkallad."))
        locked.revoked_at = timezone.now()
        locked.revoked_by = ctx.user
        locked.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
        access_log_record(
            ctx=ctx, action="assessment_link.revoked", person_id=locked.person_id, detail={"link": str(locked.pk)}
        )
    return locked


def link_context(*, link: AssessmentLink, client_address: str) -> AccessContext:
    """Who a link's use is logged as: its creator (there is no logged-in user), marked via link."""
    return AccessContext(user=link.created_by, client_address=client_address)


def link_log(*, link: AssessmentLink, client_address: str, action: str, **detail: Any) -> None:
    access_log_record(
        ctx=link_context(link=link, client_address=client_address),
        action=action,
        person_id=link.person_id,
        basis=AccessBasis.SELF,
        detail={"via": "link", "link": str(link.pk), "respondent": link.respondent, **detail},
    )


def link_submit(*, link: AssessmentLink, client_address: str, raw_answers: Mapping[str, Any]) -> Response:
    """The young person or a supervisor submits the form behind a link (once)."""
    definition = definition_of(link.instrument_version)
    answers = validate_answers(definition, raw_answers)
    with transaction.atomic():
        locked = AssessmentLink.objects.select_for_update().select_related("person").get(pk=link.pk)
        reason = locked.refusal_reason()
        if reason is None and locked.person.merged_into_id is not None:
            reason = "revoked"
        if reason is not None:
            link_log(link=locked, client_address=client_address, action="assessment_link.refused", reason=reason)
            refused = LinkRefused(reason)
        else:
            response = Response.objects.create(
                person_id=locked.person_id,
                instrument_id=locked.instrument_version.instrument_id,
                instrument_version=locked.instrument_version,
                unit_id=locked.unit_id,
                respondent=locked.respondent,
                filled_by=None,
                link=locked,
                context=locked.context,
                answered_on=timezone.localdate(),
                answers=answers,
                scores=compute_scores(definition, answers),
            )
            locked.used_at = timezone.now()
            locked.save(update_fields=["used_at", "updated_at"])
            link_log(
                link=locked,
                client_address=client_address,
                action="assessment_link.submitted",
                response=str(response.pk),
            )
            return response
    # Raised outside the block, so that the refusal's log entry is kept.
    raise refused


def definition_text(data: Any) -> str:
    """A definition as indented JSON, for showing to an administrator."""
    return json.dumps(data, ensure_ascii=False, indent=2)
