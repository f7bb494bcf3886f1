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
    # Signing in and out (sso: passwords and the organisations' identity providers)
    "sign_in.succeeded": _("Loggade in"),
    "sign_in.refused": _("Inloggningen nekades"),
    "sign_in.user_created": _("Skapades som användare vid första inloggningen via identitetsleverantör"),
    "sign_out.done": _("Loggade ut"),
    "sso_provider.created": _("Lade till en identitetsleverantör"),
    "sso_provider.changed": _("Ändrade en identitetsleverantör"),
    "sso_identity.linked": _("Kopplade en användare till en identitet hos en identitetsleverantör"),
    "sso_identity.removed": _("Tog bort en användares identitet hos en identitetsleverantör"),
    "sso_policy.changed": _("Ändrade hur en organisation loggar in"),
    "api_token.created": _("Skapade en API-nyckel"),
    "api_token.revoked": _("Återkallade en API-nyckel"),
    # Exits and follow-ups (followup, issue 12)
    "exit.created": _("Avslutade ett deltagande (avslut)"),
    "exit.superseded": _("Avslutet ersattes när personen skrevs in igen"),
    "exit.listed": _("Visade personens avslut"),
    "placement.ended_by_exit": _("Avslutade en placering när deltagandet avslutades"),
    "follow_up.listed": _("Visade personen i listan över uppföljningar"),
    "follow_up.viewed": _("Visade en uppföljning"),
    "follow_up.recorded": _("Registrerade resultatet av en uppföljning"),
    "follow_up.suggestion_confirmed": _("Bekräftade registrets förslag för en uppföljning"),
    "follow_up.attempt_added": _("Registrerade ett kontaktförsök för en uppföljning"),
    "follow_up.not_reached": _("Markerade en uppföljning som ej nådd"),
    "follow_up.link_sent": _("Skickade en länk till en uppföljning"),
    "follow_up.reminder_sent": _("Skickade en påminnelse om en uppföljning"),
    "follow_up.to_coach": _("Lämnade en obesvarad uppföljning till coachen"),
    "follow_up.suggested": _("Föreslog resultat för en uppföljning från register"),
    "follow_up_link.opened": _("Öppnade en länk till en uppföljning"),
    "follow_up_link.refused": _("Nekade en länk till en uppföljning"),
    "follow_up_link.answered": _("Svarade på en uppföljning via länk"),
    "follow_up_settings.changed": _("Ändrade inställningarna för uppföljning"),
    # ESF+ (vagval/esf): entry data, the indicator report, the SCB participant file
    "esf.entry_viewed": _("Visade ESF-uppgifter vid start"),
    "esf.entry_recorded": _("Registrerade ESF-uppgifter vid start"),
    "esf.entry_changed": _("Ändrade ESF-uppgifter vid start"),
    "esf.project_changed": _("Ändrade om projektet är ESF-finansierat"),
    "esf.indicators_viewed": _("Visade ESF-indikatorer"),
    "esf.indicators_exported": _("Laddade ner ESF-indikatorer"),
    "esf.scb_file_exported": _("Exporterade personen i SCB:s deltagarfil"),
    # targets and budget (issue 13): a project's targets, budget lines and costs (no person)
    "targets.viewed": _("Visade projektets mål och utfall"),
    "target.created": _("Lade till ett mål för projektet"),
    "target.changed": _("Ändrade ett mål för projektet"),
    "target.removed": _("Tog bort ett mål för projektet"),
    "budget.viewed": _("Visade projektets budget och kostnader"),
    "budget_line.created": _("Lade till en budgetpost"),
    "budget_line.changed": _("Ändrade en budgetpost"),
    "budget_line.removed": _("Tog bort en budgetpost"),
    "cost.recorded": _("Registrerade en kostnad för en månad"),
    "cost.imported": _("Importerade kostnader från ekonomisystemet"),
    "cost.import_undone": _("Ångrade en import av kostnader"),
    # The access log itself
    "audit.log_viewed": _("Granskade åtkomstloggen"),
    "audit.log_exported": _("Exporterade åtkomstloggen"),
    "audit.person_lookup": _("Sökte fram personen i åtkomstloggen"),
    "audit.person_shown": _("Visade personen i åtkomstloggen"),
    "audit.log_removed": _("Tog bort en månad ur åtkomstloggen enligt gallringsregeln"),
    # Operations: backup and restore from the command line
    "system.backup_made": _("Säkerhetskopierade databasen"),
    "system.restored": _("Återställde databasen från en säkerhetskopia"),
    # catalogue (issue 11, the offer side): providers, offers, employers' needs and interests
    "provider.created": _("Lade till en anordnare i katalogen"),
    "provider.changed": _("Ändrade en anordnare i katalogen"),
    "provider.contact_created": _("Lade till en kontaktperson hos en anordnare"),
    "provider.contact_changed": _("Ändrade en kontaktperson hos en anordnare"),
    "offer.created": _("Lade till ett erbjudande i katalogen"),
    "offer.changed": _("Ändrade ett erbjudande i katalogen"),
    "offer.status_changed": _("Ändrade status på ett erbjudande"),
    "employer_need.created": _("Registrerade en arbetsgivares rekryteringsbehov"),
    "employer_need.changed": _("Ändrade en arbetsgivares rekryteringsbehov"),
    "employer_interest.created": _("Registrerade en arbetsgivares intresse"),
    "employer_interest.changed": _("Ändrade en arbetsgivares intresse"),
    "offer_link.created": _("Skapade en länk till erbjudanden för den unga"),
    "offer_link.revoked": _("Stängde en länk till erbjudanden"),
    "offer_link.viewed": _("Visade den ungas länkar till erbjudanden"),
    "offer_link.opened": _("Länken till erbjudanden öppnades"),
    "offer_link.refused": _("Länken till erbjudanden nekades"),
    # Admission to study offers with intakes (catalogue)
    "admission.round_created": _("Skapade en antagningsomgång"),
    "admission.round_changed": _("Ändrade en antagningsomgång"),
    "admission.applied": _("Registrerade en ansökan till antagning"),
    "admission.step_recorded": _("Registrerade ett steg i antagningen"),
    # Matching (vagval/matching, issue 11)
    "matching.profile_viewed": _("Visade matchningsprofilen"),
    "matching.profile_changed": _("Ändrade matchningsprofilen"),
    "matching.considered": _("Tog med personen i en matchning"),
    "matching.suggested": _("Föreslog ett erbjudande"),
    "matching.overridden": _("Gick emot matchningens förslag"),
    "matching.weights_changed": _("Ändrade matchningens vikter"),
    "matching.intake_changed": _("Ändrade ett par i ett intag"),
    "matching.intake_confirmed": _("Bekräftade ett intag"),
    # Placements: a person in an offer of the catalogue (catalogue, issue 11)
    "placement.created": _("Skapade en placering"),
    "placement.status_changed": _("Ändrade en placerings status"),
    "placement.changed": _("Ändrade en placering"),
    "placement.ended": _("Avslutade en placering"),
    "placement.viewed": _("Visade en placering"),
    "placement.listed": _("Visade placeringen i en lista"),
    "placement.assessment_scheduled": _("Planerade arbetsplatsbedömningar för en placering"),
    "placement.assessment_sent": _("Skickade en länk till arbetsplatsbedömning"),
    "placement.attendance_recorded": _("Förde närvaro i en gruppaktivitet"),
    "group_session.created": _("Lade till en träff i en gruppaktivitet"),
    # --- worklist (issue 12): the to-do list, notifications, the young person's own view ---
    "worklist.viewed": _("Visade personen i att göra-listan"),
    "worklist.item_done": _("Markerade en uppgift i att göra-listan som klar"),
    "worklist.item_moved": _("Flyttade en uppgift i att göra-listan"),
    "worklist.notifications_viewed": _("Visade personen bland aviseringarna"),
    "worklist.own_view_created": _("Skapade en länk till den ungas egen vy"),
    "worklist.own_view_revoked": _("Återkallade länken till den ungas egen vy"),
    "worklist.own_view_opened": _("Den unga öppnade sin egen vy"),
    # --- evaluation (issue 13): the evaluator's datasets and the partners' survey ---
    "evaluation.dataset_requested": _("Beställde ett pseudonymiserat datauttag"),
    "evaluation.dataset_prepared": _("Personen togs med i ett pseudonymiserat datauttag"),
    "evaluation.dataset_approved": _("Godkände ett pseudonymiserat datauttag med personen"),
    "evaluation.dataset_rejected": _("Godkände inte ett pseudonymiserat datauttag"),
    "evaluation.dataset_downloaded": _("Hämtade ett pseudonymiserat datauttag med personen"),
    "evaluation.survey_round_created": _("Skapade en omgång av samverkansenkäten"),
    "evaluation.survey_links_created": _("Skapade länkar till samverkansenkäten"),
    # --- dataprotection (issue 14): retention (gallring), legal holds, the register extract ---
    "retention.rule_saved": _("Sparade en gallringsregel"),
    "retention.dry_run": _("Gjorde en provkörning av gallring"),
    "retention.approved": _("Godkände en gallring"),
    "retention.person_deleted": _("Gallrade personens uppgifter"),
    "retention.person_anonymised": _("Avidentifierade personen vid gallring"),
    "retention.hold_placed": _("Satte gallringsstopp för personen"),
    "retention.hold_lifted": _("Hävde gallringsstopp för personen"),
    "person.register_extract": _("Tog med personen i ett registerutdrag"),
    # --- reporting (issue 13): the steering-group report (aggregates, no person) ---
    "reporting.steering_report_viewed": _("Visade styrgruppsrapporten"),
    "reporting.steering_report_exported": _("Laddade ner styrgruppsrapporten"),
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
