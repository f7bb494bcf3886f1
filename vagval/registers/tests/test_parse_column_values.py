"""What each column accepts, normalises and rejects (Excel's lost zeros and serial dates included)."""

import datetime as dt

import pytest

from vagval.registers.importing import Skolform, StudyStatus, parse_import_file
from vagval.registers.importing.samples import csv_bytes, identity_number, xlsx_bytes

TODAY = dt.date(2026, 11, 23)
ALVA = identity_number(dt.date(2009, 4, 12), 238)
POPULATION = ("personnummer", "fornamn", "efternamn", "kommunkod", "postnummer", "skyddad", "telefon", "epost")
STUDIES = ("personnummer", "skolform", "program", "skolenhet", "status", "startdatum", "slutdatum")


def _person(xlsx=False, **values):
    row = {"personnummer": ALVA, "fornamn": "Alva", "efternamn": "Lindqvist", "kommunkod": "2085"} | values
    cells = [row.get(column, "") for column in POPULATION]
    data = xlsx_bytes(POPULATION, [cells]) if xlsx else csv_bytes(POPULATION, [cells])
    return parse_import_file(data, kind="befolkning", today=TODAY)


def _study(xlsx=False, **values):
    row = {"personnummer": ALVA, "skolform": "GY", "status": "pagaende"} | values
    cells = [row.get(column, "") for column in STUDIES]
    data = xlsx_bytes(STUDIES, [cells]) if xlsx else csv_bytes(STUDIES, [cells])
    return parse_import_file(data, kind="studier", today=TODAY)


def _problem(result):
    assert result.records == []
    return result.rejected[0].column, result.rejected[0].reason


@pytest.mark.parametrize(
    ("written", "code"), [("2085", "2085"), (" 2085 ", "2085"), ("482", "0482"), ("0482", "0482"), ("2085.0", "2085")]
)
def test_a_municipality_code_is_four_digits_even_when_excel_dropped_the_leading_zero(written, code):
    assert _person(kommunkod=written).records[0].municipality_code == code


def test_a_municipality_code_stored_as_a_number_in_excel_gets_its_zero_back():
    assert _person(xlsx=True, kommunkod=482).records[0].municipality_code == "0482"


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("9999", "kommunkoden 9999 finns inte"),
        ("999", "kommunkoden 0999 finns inte"),
        ("20", "ogiltig kommunkod '20' (ange fyra siffror, t.ex. 2085)"),
        ("Ludvika", "ogiltig kommunkod 'Ludvika' (ange fyra siffror, t.ex. 2085)"),
        ("", "kommunkod saknas"),
    ],
)
def test_an_unknown_or_malformed_municipality_code_is_rejected(written, reason):
    assert _problem(_person(kommunkod=written)) == ("kommunkod", reason)


@pytest.mark.parametrize(("written", "code"), [("771 30", "77130"), ("77130", "77130"), ("", None)])
def test_a_postal_code_is_stored_as_five_digits(written, code):
    assert _person(postnummer=written).records[0].postal_code == code


def test_a_postal_code_stored_as_a_number_in_excel_is_accepted():
    assert _person(xlsx=True, postnummer=77130).records[0].postal_code == "77130"


@pytest.mark.parametrize("written", ["7713", "771 300", "07713", "ABC12"])
def test_a_malformed_postal_code_is_rejected(written):
    column, reason = _problem(_person(postnummer=written))
    assert column == "postnummer"
    assert reason.startswith("ogiltigt postnummer")


@pytest.mark.parametrize(
    ("written", "protected"),
    [
        ("J", True), ("ja", True), ("JA", True), ("1", True), ("true", True), ("SANT", True),
        ("N", False), ("nej", False), ("0", False), ("False", False), ("FALSKT", False),
        ("", None),
    ],
)  # fmt: skip
def test_protected_accepts_yes_and_no_in_every_spelling_the_spec_lists(written, protected):
    assert _person(skyddad=written).records[0].protected is protected


def test_protected_stored_as_a_boolean_in_excel_is_accepted():
    assert _person(xlsx=True, skyddad=True).records[0].protected is True


def test_protected_with_any_other_value_is_rejected_rather_than_guessed():
    assert _problem(_person(skyddad="kanske")) == ("skyddad", "okänt värde 'kanske' (ange J eller N)")


def test_a_missing_protected_column_means_not_stated_not_unprotected():
    data = csv_bytes(("personnummer", "fornamn", "efternamn", "kommunkod"), [(ALVA, "Alva", "Lind", "2085")])

    assert parse_import_file(data, kind="befolkning", today=TODAY).records[0].protected is None


@pytest.mark.parametrize(
    ("written", "phone"),
    [("070-123 45 67", "070-123 45 67"), ("+46 70 123 45 67", "+46 70 123 45 67"), ("0240-100 00", "0240-100 00")],
)
def test_phone_numbers_in_common_forms_are_kept_as_written(written, phone):
    assert _person(telefon=written).records[0].phone == phone


def test_a_mobile_number_stored_as_a_number_in_excel_gets_its_zero_back():
    assert _person(xlsx=True, telefon=701234567).records[0].phone == "0701234567"


@pytest.mark.parametrize("written", ["ring mamma", "123", "070-123 45 67 ankn 12", "+46 70 123 45 67 89 01 23 45"])
def test_something_that_is_not_a_phone_number_is_rejected(written):
    assert _problem(_person(telefon=written)) == ("telefon", "ogiltigt telefonnummer")


@pytest.mark.parametrize("written", ["alva@example.se", "alva.lind+kaa@mail.example.se", "åsa@exempel.se"])
def test_common_email_addresses_are_accepted(written):
    assert _person(epost=f" {written} ").records[0].email == written


@pytest.mark.parametrize("written", ["alva.example.se", "alva@", "alva@example", "alva lind@example.se", "a@@b.se"])
def test_something_that_is_not_an_email_address_is_rejected(written):
    assert _problem(_person(epost=written)) == ("epost", "ogiltig e-postadress")


def test_names_are_stripped_and_inner_spaces_collapsed():
    record = _person(fornamn="  Anna   Maria ", efternamn=" Åberg ").records[0]

    assert (record.first_name, record.last_name) == ("Anna Maria", "Åberg")


@pytest.mark.parametrize(("column", "reason"), [("fornamn", "förnamn saknas"), ("efternamn", "efternamn saknas")])
def test_an_empty_name_is_rejected(column, reason):
    assert _problem(_person(**{column: "   "})) == (column, reason)


def test_a_name_longer_than_the_register_holds_is_rejected():
    assert _problem(_person(fornamn="A" * 101)) == ("fornamn", "för långt värde (högst 100 tecken)")


def test_a_control_character_in_a_name_is_rejected():
    assert _problem(_person(efternamn="Lind\x07qvist")) == ("efternamn", "otillåtet tecken (styrtecken) i värdet")


def test_a_row_with_several_problems_is_reported_once_with_all_of_them():
    result = _person(fornamn="", kommunkod="9999", epost="nej")

    assert len(result.rejected) == 1
    rejected = result.rejected[0]
    assert (rejected.column, rejected.reason) == ("fornamn", "förnamn saknas")
    assert [p.column for p in rejected.problems] == ["fornamn", "kommunkod", "epost"]
    assert (
        rejected.error_text
        == "fornamn: förnamn saknas; kommunkod: kommunkoden 9999 finns inte; epost: ogiltig e-postadress"
    )
    assert rejected.identity_number == ALVA  # the person is in the file, only their row is wrong


@pytest.mark.parametrize(
    ("written", "form"),
    [(code.value, code) for code in Skolform]
    + [("gy", Skolform.GY), ("Komvux", Skolform.KOMVUX), ("ÖVR", Skolform.OVR)],
)
def test_every_school_form_code_is_accepted_in_any_case(written, form):
    assert _study(skolform=written).records[0].school_form is form


@pytest.mark.parametrize(
    ("written", "status"),
    [(s.value, s) for s in StudyStatus] + [("Pågående", StudyStatus.PAGAENDE), ("EXAMEN", StudyStatus.EXAMEN)],
)
def test_every_status_is_accepted_in_any_case_with_or_without_a_ring(written, status):
    assert _study(status=written).records[0].status is status


def test_unknown_codes_are_rejected_naming_the_code():
    assert _problem(_study(skolform="XYZ")) == ("skolform", "okänd skolform 'XYZ'")
    assert _problem(_study(status="klar")) == (
        "status",
        "okänd status 'klar' (ange pagaende, avbrott, examen, studiebevis eller avslutad)",
    )
    assert _problem(_study(skolform="")) == ("skolform", "skolform saknas")


@pytest.mark.parametrize(
    ("written", "date"),
    [
        ("2025-08-18", dt.date(2025, 8, 18)),
        ("2025-8-18", dt.date(2025, 8, 18)),
        ("20250818", dt.date(2025, 8, 18)),
        ("2025-08-18 00:00:00", dt.date(2025, 8, 18)),
        ("45887", dt.date(2025, 8, 18)),  # an Excel serial date
        ("45887,5", dt.date(2025, 8, 18)),  # with a time of day
        ("", None),
    ],
)
def test_dates_in_iso_compact_and_excel_serial_form_are_accepted(written, date):
    assert _study(startdatum=written).records[0].start_date == date


def test_excel_serial_45000_is_the_fifteenth_of_march_2023():
    assert _study(startdatum="45000").records[0].start_date == dt.date(2023, 3, 15)


def test_dates_stored_as_dates_or_as_plain_numbers_in_excel_are_accepted():
    result = _study(xlsx=True, startdatum=dt.datetime(2025, 8, 18), slutdatum=46083)

    assert (result.records[0].start_date, result.records[0].end_date) == (dt.date(2025, 8, 18), dt.date(2026, 3, 2))


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        ("18/8/2025", "ogiltigt datum '18/8/2025' (ange ÅÅÅÅ-MM-DD)"),
        ("2025-02-30", "datumet '2025-02-30' finns inte"),
        ("20251301", "datumet '20251301' finns inte"),
        ("123", "ogiltigt datum '123' (ange ÅÅÅÅ-MM-DD)"),
        ("snart", "ogiltigt datum 'snart' (ange ÅÅÅÅ-MM-DD)"),
    ],
)
def test_bad_dates_are_rejected_naming_the_value(written, reason):
    assert _problem(_study(startdatum=written)) == ("startdatum", reason)


def test_an_end_before_the_start_is_rejected():
    assert _problem(_study(startdatum="2025-08-18", slutdatum="2025-06-01")) == (
        "slutdatum",
        "slutdatum före startdatum",
    )


def test_programme_and_school_unit_are_free_text():
    record = _study(program=" IMYRK ", skolenhet="Ludvika gymnasium, Västerbergslagens utbildningscentrum").records[0]

    assert record.programme == "IMYRK"
    assert record.school_unit == "Ludvika gymnasium, Västerbergslagens utbildningscentrum"
