"""The example files in the format spec parse exactly as the spec describes them."""

import datetime as dt

from vagval.common.identity import PERSONNUMMER
from vagval.registers.importing import ImportKind, Skolform, StudyStatus, parse_import_file

TODAY = dt.date(2026, 11, 23)

# Verbatim copies of shared/spec/formats/befolkning-exempel.csv and studier-exempel.csv
# (the spec lives outside the repository, so a fresh clone has them here).
POPULATION_EXAMPLE = """personnummer;fornamn;efternamn;adress;postnummer;postort;kommunkod;skyddad
20090412-2389;Alva;Lindqvist;Storgatan 3;771 30;Ludvika;2085;N
200811050095;Elias;Berg;Björkvägen 12;77131;Ludvika;2085;N
081230-1232;Maja;Nyström;;;;2085;J
""".encode()
STUDIES_EXAMPLE = b"""personnummer;skolform;program;skolenhet;status;startdatum;slutdatum
20090412-2389;GY;EE;Ludvika gymnasium;avbrott;2025-08-18;2026-03-02
200811050095;GY;BA;Ludvika gymnasium;pagaende;2024-08-19;
"""


def test_the_population_example_gives_three_people_and_no_remarks():
    result = parse_import_file(POPULATION_EXAMPLE, kind=ImportKind.BEFOLKNING, today=TODAY)

    assert result.rejected == []
    assert result.unknown_columns == ()
    assert (result.file_format, result.encoding, result.separator) == ("csv", "utf-8", ";")
    assert [(r.line, r.identity_number) for r in result.records] == [
        (2, "200904122389"),
        (3, "200811050095"),
        (4, "200812301232"),
    ]
    alva = result.records[0]
    assert (alva.first_name, alva.last_name, alva.address) == ("Alva", "Lindqvist", "Storgatan 3")
    assert (alva.postal_code, alva.city, alva.municipality_code, alva.protected) == ("77130", "Ludvika", "2085", False)
    assert alva.identity.kind == PERSONNUMMER
    assert alva.identity.birth_date == dt.date(2009, 4, 12)
    maja = result.records[2]
    assert (maja.address, maja.postal_code, maja.city, maja.protected) == (None, None, None, True)
    assert maja.last_name == "Nyström"


def test_the_studies_example_gives_two_enrolments():
    result = parse_import_file(STUDIES_EXAMPLE, kind="studier", today=TODAY)

    assert result.rejected == []
    dropped_out, studying = result.records
    assert dropped_out.identity_number == "200904122389"
    assert (dropped_out.school_form, dropped_out.programme, dropped_out.status) == (
        Skolform.GY,
        "EE",
        StudyStatus.AVBROTT,
    )
    assert dropped_out.school_unit == "Ludvika gymnasium"
    assert (dropped_out.start_date, dropped_out.end_date) == (dt.date(2025, 8, 18), dt.date(2026, 3, 2))
    assert studying.status == StudyStatus.PAGAENDE
    assert studying.end_date is None


def test_records_do_not_show_identity_numbers_in_their_repr():
    result = parse_import_file(POPULATION_EXAMPLE, kind="befolkning", today=TODAY)

    assert "2009" not in repr(result.records[0])
    assert "0412" not in repr(result.records[0])
