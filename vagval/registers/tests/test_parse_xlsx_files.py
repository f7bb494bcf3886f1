"""XLSX files as Excel stores them: numbers as numbers, dates as dates, the first sheet only."""

import datetime as dt
import io

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from vagval.registers.importing import Skolform, StudyStatus, parse_import_file
from vagval.registers.importing.samples import identity_number, xlsx_bytes

TODAY = dt.date(2026, 11, 23)
ALVA = identity_number(dt.date(2009, 4, 12), 238)
EBBA = identity_number(dt.date(2005, 3, 14), 1)  # 0503140014: Excel keeps 503140014


def test_an_excel_population_file_with_numbers_stored_as_numbers_parses():
    header = ["Personnummer", "Förnamn", "Efternamn", "Postnummer", "Kommunkod", "Skyddad", "Telefon"]
    rows = [
        [int(ALVA), "Alva", "Lindqvist", 77130, 2085, "N", "070-123 45 67"],
        [int(EBBA[2:]), "Ebba", "Öhman", 77131, 482, False, 701234567],
    ]

    result = parse_import_file(xlsx_bytes(header, rows), kind="befolkning", today=TODAY)

    assert (result.file_format, result.encoding, result.separator) == ("xlsx", None, None)
    assert result.rejected == []
    alva, ebba = result.records
    assert (alva.line, alva.identity_number, alva.postal_code, alva.municipality_code) == (2, ALVA, "77130", "2085")
    assert (ebba.line, ebba.identity_number, ebba.municipality_code, ebba.protected) == (3, EBBA, "0482", False)
    assert ebba.phone == "0701234567"


def test_an_excel_studies_file_with_real_dates_parses():
    header = ["personnummer", "skolform", "program", "skolenhet", "status", "startdatum", "slutdatum"]
    rows = [
        [ALVA, "GY", "EE", "Ludvika gymnasium", "avbrott", dt.datetime(2025, 8, 18), dt.datetime(2026, 3, 2)],
        [EBBA, "IM", "IMYRK", 4711, "pågående", dt.date(2024, 8, 19), None],
    ]

    result = parse_import_file(xlsx_bytes(header, rows), kind="studier", today=TODAY)

    assert result.rejected == []
    dropped, studying = result.records
    assert (dropped.start_date, dropped.end_date) == (dt.date(2025, 8, 18), dt.date(2026, 3, 2))
    assert (studying.school_form, studying.status, studying.school_unit) == (Skolform.IM, StudyStatus.PAGAENDE, "4711")


def test_blank_rows_are_skipped_and_lines_are_excel_row_numbers():
    header = ["personnummer", "fornamn", "efternamn", "kommunkod"]
    rows = [[ALVA, "Alva", "Lind", 2085], [None, None, None, None], ["", " ", None, ""], [EBBA, "Ebba", "Öh", 9999]]

    result = parse_import_file(xlsx_bytes(header, rows), kind="befolkning", today=TODAY)

    assert [r.line for r in result.records] == [2]
    assert [(r.line, r.column, r.reason) for r in result.rejected] == [(5, "kommunkod", "kommunkoden 9999 finns inte")]


def test_only_the_first_sheet_is_read_and_cells_right_of_the_header_are_ignored():
    workbook = Workbook()
    first = workbook.active
    first.append(["personnummer", "fornamn", "efternamn", "kommunkod"])
    first.append([ALVA, "Alva", "Lind", 2085, "en anteckning"])
    workbook.create_sheet("Annat").append(["helt", "andra", "saker"])
    out = io.BytesIO()
    workbook.save(out)

    result = parse_import_file(out.getvalue(), kind="befolkning", today=TODAY)

    assert [r.identity_number for r in result.records] == [ALVA]


def test_a_formula_gives_the_value_excel_saved_for_it():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["personnummer", "fornamn", "efternamn", "kommunkod"])
    sheet.append([ALVA, "Alva", "Lind", "=2000+85"])  # openpyxl saves no cached value: read as empty
    out = io.BytesIO()
    workbook.save(out)

    result = parse_import_file(out.getvalue(), kind="befolkning", today=TODAY)

    assert result.rejected[0].reason == "kommunkod saknas"


@settings(deadline=None, max_examples=40)
@given(
    people=st.lists(
        st.tuples(
            st.dates(min_value=dt.date(1997, 1, 1), max_value=dt.date(2010, 12, 31)),
            st.integers(min_value=1, max_value=999),
            st.sampled_from(["2085", "0482", "1880", "0114"]),
            st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2030, 12, 31)),
            st.booleans(),
        ),
        min_size=1,
        max_size=20,
        unique_by=lambda person: (person[0], person[1]),
    )
)
def test_numbers_stored_as_numbers_and_dates_stored_as_dates_round_trip(people):
    header = ["personnummer", "fornamn", "efternamn", "kommunkod"]
    population = []
    studies = []
    expected = []
    for birth, serial, code, start, as_number in people:
        number = identity_number(birth, serial)
        stored = int(number[2:]) if as_number else number  # short form as a number: zeros lost
        population.append([stored, "Test", "Testsson", int(code)])
        studies.append([stored, "GY", "pagaende", dt.datetime.combine(start, dt.time())])
        expected.append((number, code, start))

    parsed_people = parse_import_file(xlsx_bytes(header, population), kind="befolkning", today=TODAY)
    parsed_studies = parse_import_file(
        xlsx_bytes(["personnummer", "skolform", "status", "startdatum"], studies), kind="studier", today=TODAY
    )

    assert parsed_people.rejected == []
    assert parsed_studies.rejected == []
    assert [(r.identity_number, r.municipality_code) for r in parsed_people.records] == [(n, c) for n, c, _ in expected]
    assert [(r.identity_number, r.start_date) for r in parsed_studies.records] == [(n, s) for n, _, s in expected]
