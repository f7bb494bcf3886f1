"""A file that cannot be imported gives one clear Swedish FileError, before any row is handed out."""

import datetime as dt
import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vagval.registers.importing import FileError, open_import_file, parse_import_file
from vagval.registers.importing.samples import POPULATION_HEADER, csv_bytes, population_rows, xlsx_bytes

TODAY = dt.date(2026, 11, 23)
GOOD_CSV = csv_bytes(POPULATION_HEADER, population_rows(3))
GOOD_XLSX = xlsx_bytes(POPULATION_HEADER, population_rows(3))


def _error(data, kind="befolkning"):
    """The FileError, raised by opening (so before a single row could be used)."""
    with pytest.raises(FileError) as caught:
        open_import_file(data, kind=kind, today=TODAY)
    return caught.value.message


def test_an_empty_file_is_refused():
    assert _error(b"") == "Filen är tom."


def test_a_file_with_only_blank_lines_is_refused():
    assert _error(b"\r\n  \r\n\r\n") == "Filen är tom."
    assert _error("\ufeff\n\n".encode()) == "Filen är tom."


def test_a_file_with_only_a_header_is_refused():
    assert _error(b"personnummer;fornamn;efternamn;kommunkod\r\n\r\n") == (
        "Filen har bara en rubrikrad och inga rader med uppgifter."
    )


def test_an_excel_file_with_only_a_header_is_refused():
    assert _error(xlsx_bytes(POPULATION_HEADER, [])) == "Filen har bara en rubrikrad och inga rader med uppgifter."


def test_an_excel_file_with_an_empty_first_sheet_is_refused():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.create_sheet("Data").append(list(POPULATION_HEADER))
    out = io.BytesIO()
    workbook.save(out)

    assert _error(out.getvalue()).startswith("Det första bladet i Excel-filen är tomt.")


def test_missing_required_columns_are_named_in_one_message():
    message = _error(b"personnummer;namn;kommun\n200904122389;Alva Lind;2085\n")

    assert message == (
        "Kolumnerna fornamn, efternamn och kommunkod saknas i rubrikraden. "
        "En befolkningsfil ska ha kolumnerna personnummer, fornamn, efternamn och kommunkod."
    )


def test_one_missing_column_is_named_in_the_singular():
    assert _error(b"personnummer;skolform;program\n200904122389;GY;EE\n", kind="studier").startswith(
        "Kolumnen status saknas i rubrikraden."
    )


def test_a_studies_file_imported_as_population_says_so():
    message = _error(b"personnummer;skolform;status\n200904122389;GY;pagaende\n")

    assert message.endswith("Filen ser ut att vara en studiefil: har du valt fel sorts import?")


def test_a_file_without_a_header_row_says_so():
    message = _error(b"200904122389;Alva;Lind;2085\n200811050095;Elias;Berg;2085\n")

    assert message.startswith("Filen saknar rubrikrad: rad 1 innehåller uppgifter i stället för kolumnnamn.")
    assert "2009" not in message


def test_a_header_with_an_unknown_separator_says_which_separators_work():
    message = _error(b"personnummer|fornamn|efternamn|kommunkod\n200904122389|Alva|Lind|2085\n")

    assert message.endswith("Rubrikraden har bara en kolumn: använd semikolon, komma eller tabb mellan kolumnerna.")


def test_a_column_given_twice_is_refused():
    message = _error("personnummer;fornamn;Förnamn;efternamn;kommunkod\n200904122389;A;A;L;2085\n".encode())

    assert message.startswith("Kolumnen fornamn finns två gånger i rubrikraden (kolumn 2 och 3).")


@pytest.mark.parametrize(
    "junk",
    [
        bytes(range(256)) * 4,
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nstream\n\x00\x01\x02\x9d\x81endstream",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
        b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04",
        b"personnummer;fornamn;efternamn;kommunkod\n\x00\x00\x00\x00",
    ],
)
def test_binary_junk_is_refused(junk):
    assert _error(junk).startswith("Filen är varken en CSV-fil eller en Excel-fil (xlsx): den innehåller binära data.")


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9, 0.99])
def test_a_truncated_excel_file_is_refused(cut):
    truncated = GOOD_XLSX[: int(len(GOOD_XLSX) * cut)]

    assert _error(truncated).startswith("Excel-filen är skadad eller ofullständig")


def test_an_excel_file_with_a_damaged_member_is_refused():
    damaged = bytearray(GOOD_XLSX)
    with zipfile.ZipFile(io.BytesIO(GOOD_XLSX)) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    damaged[start + 10 : start + 20] = b"\xff" * 10  # inside the compressed sheet

    assert _error(bytes(damaged)).startswith("Excel-filen är skadad eller ofullständig")


def _zip(members):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


def test_a_zip_that_is_not_an_excel_file_is_refused():
    assert _error(_zip({"word/document.xml": "<w/>"})).startswith("Filen är en zip-fil men ingen Excel-fil (xlsx).")


def test_an_opendocument_spreadsheet_is_refused_with_what_to_do():
    ods = _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"})

    assert _error(ods).startswith("Filen är ett OpenDocument-kalkylark (ods).")


def test_an_old_excel_file_is_refused_with_what_to_do():
    old_excel = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500

    assert _error(old_excel).startswith("Filen är i Excels gamla format (xls)")


def test_an_excel_file_whose_sheet_breaks_off_midway_fails_while_reading_with_one_message():
    rows = list(population_rows(2000))
    good = xlsx_bytes(POPULATION_HEADER, rows)
    with zipfile.ZipFile(io.BytesIO(good)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    # As Excel writes it, the stored size first (openpyxl then reads no further on opening) ...
    sheet = members["xl/worksheets/sheet1.xml"].replace(b"</sheetPr>", b'</sheetPr><dimension ref="A1:J2001"/>', 1)
    members["xl/worksheets/sheet1.xml"] = sheet[: len(sheet) // 2]  # ... but the zip is fine and the XML broken

    parsed = open_import_file(_zip(members), kind="befolkning", today=TODAY)
    with pytest.raises(FileError) as caught:
        for _item in parsed:
            pass

    assert caught.value.message.startswith("Excel-filen är skadad efter rad ")


def test_a_quote_that_never_ends_fails_with_the_line_where_it_starts():
    rows = "".join(f"{row[0]};{row[1]};{row[2]};2085\n" for row in population_rows(5))
    broken = '200904122389;"Alva;Lind;2085\n' + "x" * 200_000
    data = ("personnummer;fornamn;efternamn;kommunkod\n" + rows + broken).encode()

    parsed = open_import_file(data, kind="befolkning", today=TODAY)
    with pytest.raises(FileError) as caught:
        list(parsed)

    assert caught.value.message.startswith('Filen går inte att läsa från rad 7: ett citattecken (") avslutas aldrig')


def test_a_file_error_message_never_carries_an_identity_number():
    for data in (b"200904122389;Alva\n", b"personnummer\n200904122389\n"):
        with pytest.raises(FileError) as caught:
            parse_import_file(data, kind="befolkning", today=TODAY)
        assert "200904122389" not in caught.value.message


@settings(deadline=None, max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        st.binary(max_size=2000).map(lambda tail: GOOD_CSV[: len(tail) % len(GOOD_CSV)] + tail),
        st.binary(max_size=300).map(lambda tail: GOOD_XLSX[: len(tail) * 20 % len(GOOD_XLSX)] + tail),
        st.text(max_size=500).map(lambda text: ("personnummer;fornamn;efternamn;kommunkod\n" + text).encode()),
    )
)
def test_any_bytes_give_records_rejected_rows_or_one_file_error_and_nothing_else(data):
    try:
        result = parse_import_file(data, kind="befolkning", today=TODAY)
    except FileError as error:
        message = error.message
    else:
        message = "parsed"
        assert result.counts.read == result.counts.accepted + result.counts.rejected
    assert message
    assert "\n" not in message


def test_a_file_mixing_utf8_and_windows_1252_is_refused_rather_than_read_with_garbled_names():
    utf8_part = "personnummer;fornamn;efternamn;kommunkod\r\n200904122389;Alva;Nyström;2085\r\n".encode()
    cp1252_part = "200811050095;Åsa;Öberg;2085\r\n".encode("cp1252")

    assert _error(utf8_part + cp1252_part).startswith("Filen blandar två teckenkodningar (UTF-8 och Windows-1252)")
