"""CSV files as Excel and register systems write them: encodings, separators, headers, line numbers."""

import datetime as dt
import io

import pytest

from vagval.registers.importing import parse_import_file
from vagval.registers.importing.samples import csv_bytes, identity_number

TODAY = dt.date(2026, 11, 23)
ALVA = identity_number(dt.date(2009, 4, 12), 238)
ELIAS = identity_number(dt.date(2008, 11, 5), 9)
HEADER = ("personnummer", "fornamn", "efternamn", "kommunkod")
ROWS = [(ALVA, "Åsa", "Öberg-Ängström", "2085"), (ELIAS, "Élise", "Nyström", "482")]


def _parse(data, kind="befolkning"):
    return parse_import_file(data, kind=kind, today=TODAY)


@pytest.mark.parametrize(
    ("encoding", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252"), ("utf-16", "utf-16")],
)
def test_each_encoding_gives_the_same_names(encoding, detected):
    result = _parse(csv_bytes(HEADER, ROWS, encoding=encoding))

    assert result.encoding == detected
    assert [(r.first_name, r.last_name) for r in result.records] == [("Åsa", "Öberg-Ängström"), ("Élise", "Nyström")]


def test_a_windows_1252_file_is_not_mistaken_for_utf8_when_only_the_last_line_has_an_accent():
    rows = [(identity_number(dt.date(2008, 1, 1), n), "Olle", "Berg", "2085") for n in range(1, 2000)]
    rows.append((ALVA, "Märta", "Åberg", "2085"))

    result = _parse(csv_bytes(HEADER, rows, encoding="cp1252"))

    assert result.encoding == "cp1252"
    assert (result.records[-1].first_name, result.records[-1].last_name) == ("Märta", "Åberg")


@pytest.mark.parametrize("separator", [";", ",", "\t"])
def test_each_separator_is_detected_from_the_header(separator):
    result = _parse(csv_bytes(HEADER, ROWS, separator=separator))

    assert result.separator == separator
    assert len(result.records) == 2


def test_a_comma_inside_quotes_does_not_fool_the_separator_detection():
    data = (
        b'personnummer;"fornamn";efternamn;kommunkod;"adress, med ort"\n'
        + f'{ALVA};Alva;Lind;2085;"Storgatan 3, Ludvika"\n'.encode()
    )

    result = _parse(data)

    assert result.separator == ";"
    assert result.unknown_columns == ("adress, med ort",)


def test_quoted_fields_may_hold_the_separator_quotes_and_line_breaks():
    data = (
        "personnummer;fornamn;efternamn;kommunkod;adress\r\n"
        f'{ALVA};"Anna; Maria";"O""Brien";2085;"c/o Berg\r\nStorgatan 3"\r\n'
        f"{ELIAS};Elias;Berg;2085;\r\n"
    ).encode()

    result = _parse(data)

    assert [r.line for r in result.records] == [2, 4]  # the second row starts on line 4
    assert (result.records[0].first_name, result.records[0].last_name) == ("Anna; Maria", "O'Brien".replace("'", '"'))
    assert result.records[0].address == "c/o Berg Storgatan 3"


@pytest.mark.parametrize("line_ending", ["\r\n", "\n", "\r"])
def test_empty_lines_are_skipped_and_line_numbers_are_those_in_the_file(line_ending):
    nl = line_ending
    data = (
        f"{nl}personnummer;fornamn;efternamn;kommunkod{nl}{nl}{ALVA};Alva;Lind;2085{nl};;;{nl}   {nl}"
        f"{ELIAS};Elias;Berg;9999{nl}{nl}"
    ).encode()

    result = _parse(data)

    assert result.counts.read == 2
    assert [r.line for r in result.records] == [4]
    assert [(r.line, r.column) for r in result.rejected] == [(7, "kommunkod")]


def test_columns_may_come_in_any_order():
    header = ("kommunkod", "efternamn", "personnummer", "fornamn")
    data = csv_bytes(header, [("2085", "Lind", ALVA, "Alva")])

    record = _parse(data).records[0]

    assert (record.identity_number, record.first_name, record.last_name, record.municipality_code) == (
        ALVA,
        "Alva",
        "Lind",
        "2085",
    )


@pytest.mark.parametrize(
    "header",
    [
        ("Personnummer", "Förnamn", "Efternamn", "Kommunkod"),
        ("PERSONNUMMER", "FÖRNAMN", "EFTERNAMN", "KOMMUNKOD"),
        ("  personnummer ", " förnamn", "efternamn  ", "\u00a0kommunkod"),
        ("personnummer", "fornamn", "efternamn", "kommunkod"),
        ("Personnummer", "FöRnAmN", "Efter namn", "Kommun-kod"),
    ],
)
def test_header_names_match_regardless_of_case_spaces_and_swedish_letters(header):
    result = _parse(csv_bytes(header, [(ALVA, "Alva", "Lind", "2085")]))

    assert len(result.records) == 1
    assert result.unknown_columns == ()


def test_header_variants_of_the_optional_columns_match_too():
    header = (
        "personnummer",
        "fornamn",
        "efternamn",
        "kommunkod",
        "Adress",
        "Postnummer",
        "Postort",
        "Skyddad",
        "Telefon",
        "E-post",
        "Tidigare nummer",
    )
    row = (ALVA, "Alva", "Lind", "2085", "Storgatan 3", "771 30", "Ludvika", "N", "070-1234567", "alva@example.se", "")

    result = _parse(csv_bytes(header, [row]))

    assert result.unknown_columns == ()
    assert result.records[0].email == "alva@example.se"


def test_studies_headers_match_with_accents_and_case():
    header = ("Personnummer", "Skolform", "Program", "Skolenhet", "Status", "Startdatum", "Slutdatum")
    result = _parse(
        csv_bytes(header, [(ALVA, "GY", "EE", "Ludvika gymnasium", "pågående", "2025-08-18", "")]), kind="studier"
    )

    assert len(result.records) == 1


def test_unknown_extra_columns_are_ignored_and_reported_once():
    header = ("personnummer", "Anteckning", "fornamn", "", "efternamn", "kommunkod", "Handläggare")
    rows = [(ALVA, "ring", "Alva", "x", "Lind", "2085", "Kim"), (ELIAS, "", "Elias", "", "Berg", "2085", "")]

    result = _parse(csv_bytes(header, rows))

    assert result.unknown_columns == ("Anteckning", "kolumn 4 (utan rubrik)", "Handläggare")
    assert len(result.records) == 2
    assert result.rejected == []


def test_a_fel_column_from_a_rejected_rows_file_is_neither_unknown_nor_required():
    result = _parse(
        csv_bytes(("fel", *HEADER), [("kommunkod: kommunkoden 9999 finns inte", ALVA, "Alva", "Lind", "2085")])
    )

    assert result.unknown_columns == ()
    assert len(result.records) == 1


def test_trailing_separators_and_unnamed_columns_at_the_end_are_tolerated():
    data = (
        "personnummer;fornamn;efternamn;kommunkod;;\n"
        f"{ALVA};Alva;Lind;2085;;\n"
        f"{ELIAS};Elias;Berg;2085;;;\n"
        f"{identity_number(dt.date(2007, 1, 2), 3)};Saga;Dahl;2085\n"
        f"{identity_number(dt.date(2007, 1, 3), 3)};Olle;Dahl;2085;en anteckning utan rubrik\n"
    ).encode()

    result = _parse(data)

    assert result.header == (*HEADER, "", "")
    assert result.unknown_columns == ()
    assert len(result.records) == 4


def test_a_file_can_be_read_from_an_open_binary_file_and_is_left_open(tmp_path):
    path = tmp_path / "befolkning.csv"
    path.write_bytes(csv_bytes(HEADER, ROWS))

    with path.open("rb") as handle:
        result = _parse(handle)
        assert not handle.closed

    assert len(result.records) == 2


def test_a_file_can_be_read_from_a_path(tmp_path):
    path = tmp_path / "befolkning.txt"  # the name does not matter, the content does
    path.write_bytes(csv_bytes(HEADER, ROWS))

    assert len(_parse(str(path)).records) == 2
    assert len(_parse(path).records) == 2


def test_excels_sep_line_names_the_separator_and_the_header_follows_it():
    data = f"sep=,\r\npersonnummer,fornamn,efternamn,kommunkod\r\n{ALVA},Alva,Lind;Berg,2085\r\n".encode()

    result = _parse(data)

    assert result.separator == ","
    assert [(r.line, r.last_name) for r in result.records] == [(3, "Lind;Berg")]


def test_a_file_object_that_cannot_seek_is_read_too():
    class Pipe(io.RawIOBase):
        def __init__(self, data):
            self._data = io.BytesIO(data)

        def readable(self):
            return True

        def seekable(self):
            return False

        def readinto(self, buffer):
            chunk = self._data.read(len(buffer))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    result = _parse(Pipe(csv_bytes(HEADER, ROWS, encoding="cp1252")))

    assert [r.first_name for r in result.records] == ["Åsa", "Élise"]
