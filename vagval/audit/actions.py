"""Every access-log action code, declared once with its Swedish label.

An action code names what happened (`person.viewed`, `consent.withdrawn`): `<thing>.<what>`,
lower case, at most 60 characters. The access-log page shows the label; the code stays in the
entry, in the CSV export and (small) on the page, so searches and old entries keep working.

To add a code: add one line below, in its group. Writing an entry with a code that is not
here raises UndeclaredAction (see vagval.audit.services), and
vagval/audit/tests/test_actions.py fails when the source writes one. A code that is no longer
written stays here: old entries still carry it and need their label.
"""

from __future__ import annotations

import re

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

CODE_PATTERN = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")
CODE_MAX_LENGTH = 60  # AccessLogEntry.action

ACTIONS: dict[str, Promise] = {
    # Persons and enrolments
    "person.viewed": _("Visade personen"),
    "person.listed": _("Visade personen i en lista"),
    "person.search_hit": _("Hittade personen vid sökning"),
    "person.created": _("Registrerade personen"),
    "person.changed": _("Ändrade personuppgifter"),
    "person.merged": _("Slog ihop personposter"),
    "person.exported": _("Exporterade personen"),
    "person.duplicate_shown": _("Visade personen som möjlig dubblett"),
    "person.protection_lowered": _("Sänkte personens skyddsnivå"),
    "enrolment.created": _("Skrev in personen"),
    "enrolment.changed": _("Ändrade inskrivningen"),
    "enrolment.reopened": _("Öppnade inskrivningen igen"),
    # Consent
    "consent.recorded": _("Registrerade samtycke"),
    "consent.withdrawn": _("Återkallade samtycke"),
    "consent.recipient_withdrawn": _("Återkallade samtycke för en mottagare"),
    "consent.listed": _("Visade personens samtycken"),
    "consent.viewed": _("Visade ett samtycke"),
    "consent.form_viewed": _("Öppnade formuläret för samtycke"),
    "consent.document_viewed": _("Visade samtyckesblanketten"),
    "consent.overview_viewed": _("Visade vem som ser vad om personen"),
    "consent.expiring_listed": _("Visade samtycken som snart går ut"),
    # Plans
    "plan.created": _("Skapade en plan"),
    "plan.changed": _("Ändrade en plan"),
    "plan.continued": _("Fortsatte en plan i en ny"),
    "plan.continued_elsewhere": _("Planen fortsatte i en ny plan"),
    "plan.viewed": _("Visade en plan"),
    "plan.listed": _("Visade personens planer"),
    "plan.printed": _("Skrev ut en plan"),
    "plan.versions_viewed": _("Visade planens versioner"),
    "plan.version_viewed": _("Visade en tidigare version av en plan"),
    "plan_step.added": _("Lade till ett steg i en plan"),
    "plan_step.changed": _("Ändrade ett steg i en plan"),
    "plan_step.ended": _("Avslutade ett steg i en plan"),
    # Referrals
    "referral.sent": _("Skickade en remiss"),
    "referral.accepted": _("Tog emot en remiss"),
    "referral.declined": _("Avböjde en remiss"),
    "referral.info_requested": _("Begärde komplettering av en remiss"),
    "referral.info_added": _("Kompletterade en remiss"),
    "referral.withdrawn": _("Drog tillbaka en remiss"),
    "referral.form_opened": _("Öppnade formuläret för remiss"),
    "referral.viewed": _("Visade en remiss"),
    "referral.listed": _("Visade personen i remisslistan"),
    # Journal notes
    "note.written": _("Skrev en anteckning"),
    "note.corrected": _("Rättade en anteckning"),
    "note.viewed": _("Visade anteckningar"),
    # Assessments
    "instrument.version_uploaded": _("Laddade upp en ny version av ett kartläggningsinstrument"),
    "assessment.response_created": _("Registrerade en kartläggning"),
    "assessment.viewed": _("Visade personens kartläggningar"),
    "assessment.response_viewed": _("Visade en kartläggning"),
    "assessment.cohort_viewed": _("Visade kartläggningar för en grupp"),
    "assessment_link.created": _("Skapade en länk till en kartläggning"),
    "assessment_link.revoked": _("Stängde en länk till en kartläggning"),
    "assessment_link.viewed": _("Visade en länk till en kartläggning"),
    "assessment_link.opened": _("Länken till en kartläggning öppnades"),
    "assessment_link.refused": _("Länken till en kartläggning nekades"),
    "assessment_link.submitted": _("En kartläggning skickades in via länk"),
    # Registers, target group, outreach and KAA
    "register.imported": _("Läste in ett register"),
    "register.rejected_downloaded": _("Hämtade avvisade rader från en registerinläsning"),
    "register.import_confirmed": _("Bekräftade en registerinläsning"),
    "register.import_cancelled": _("Avbröt en registerinläsning"),
    "register.import_undone": _("Ångrade en registerinläsning"),
    "register.leaving_examples_viewed": _("Visade personer som skulle lämna registret"),
    "targetgroup.episode_opened": _("Personen kom med i målgruppen"),
    "targetgroup.episode_closed": _("Personen lämnade målgruppen"),
    "targetgroup.settings_changed": _("Ändrade inställningarna för målgruppen"),
    "targetgroup.handed_over": _("Lämnade över personen från målgruppen"),
    "outreach.contact_recorded": _("Registrerade en kontakt"),
    "outreach.letter_printed": _("Skrev ut ett brev"),
    "outreach.occupation_recorded": _("Registrerade sysselsättning"),
    "kaa.register_viewed": _("Visade KAA-registret"),
    "kaa.measure_created": _("Registrerade en KAA-åtgärd"),
    "kaa.measure_changed": _("Ändrade en KAA-åtgärd"),
    "kaa.statistics_exported": _("Exporterade KAA-statistik"),
    # Organisations and users
    "organisation.created": _("Skapade en organisation"),
    "organisation.changed": _("Ändrade en organisation"),
    "unit.created": _("Skapade en enhet"),
    "unit.changed": _("Ändrade en enhet"),
    "project.created": _("Skapade ett projekt"),
    "project.changed": _("Ändrade ett projekt"),
    "method.created": _("Skapade en metod"),
    "method.changed": _("Ändrade en metod"),
    "user.created": _("Skapade en användare"),
    "user.changed": _("Ändrade en användare"),
    "user.password_set": _("Satte ett nytt lösenord"),
    "user.project_role_added": _("Gav en projektroll"),
    "user.project_role_removed": _("Tog bort en projektroll"),
    "user.two_factor_enabled": _("Slog på tvåstegsverifiering"),
    "user.two_factor_disabled": _("Stängde av tvåstegsverifiering"),
    "api_token.created": _("Skapade en API-nyckel"),
    "api_token.revoked": _("Återkallade en API-nyckel"),
    # The access log itself
    "audit.log_viewed": _("Granskade åtkomstloggen"),
    "audit.log_exported": _("Exporterade åtkomstloggen"),
    "audit.person_lookup": _("Sökte fram personen i åtkomstloggen"),
    "audit.person_shown": _("Visade personen i åtkomstloggen"),
    # --- evaluation (issue 13): the evaluator's datasets and the partners' survey ---
    "evaluation.dataset_requested": _("Beställde ett pseudonymiserat datauttag"),
    "evaluation.dataset_prepared": _("Personen togs med i ett pseudonymiserat datauttag"),
    "evaluation.dataset_approved": _("Godkände ett pseudonymiserat datauttag med personen"),
    "evaluation.dataset_rejected": _("Godkände inte ett pseudonymiserat datauttag"),
    "evaluation.dataset_downloaded": _("Hämtade ett pseudonymiserat datauttag med personen"),
    "evaluation.survey_round_created": _("Skapade en omgång av samverkansenkäten"),
    "evaluation.survey_links_created": _("Skapade länkar till samverkansenkäten"),
}


class UndeclaredAction(Exception):
    """An access-log entry with an action code that is not declared in ACTIONS."""

    def __init__(self, code: str) -> None:
        super().__init__(f"Åtgärdskoden {code!r} är inte deklarerad i vagval/audit/actions.py")
        self.code = code


def is_declared(code: str) -> bool:
    return code in ACTIONS


def require_declared(code: str) -> None:
    """Raise UndeclaredAction unless `code` is declared."""
    if code not in ACTIONS:
        raise UndeclaredAction(code)


def action_label(code: str) -> str:
    """The Swedish label of a code; the code itself for one that is not declared (an old entry)."""
    label = ACTIONS.get(code)
    return str(label) if label is not None else code


def prefixes() -> list[str]:
    """The groups of codes (`person`, `consent`, …), for searching on the start of a code."""
    return sorted({code.split(".", 1)[0] for code in ACTIONS})


def suggestions() -> list[tuple[str, str]]:
    """(value, label) pairs for the log search's suggestions: each group, then each code."""
    groups = [
        (prefix, gettext("Alla händelser som börjar med %(prefix)s") % {"prefix": prefix}) for prefix in prefixes()
    ]
    return groups + sorted(((code, str(label)) for code, label in ACTIONS.items()), key=lambda pair: pair[0])
