"""Property: whatever the encoding, separator, column order and mix of junk, every valid row comes
out exactly once as a record, every invalid row is reported exactly once on its line, nothing else."""

import csv
import datetime as dt
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vagval.registers.importing import parse_import_file
from vagval.registers.importing.reference import municipality_codes
from vagval.registers.importing.samples import identity_number, with_wrong_check_digit

TODAY = dt.date(2026, 11, 23)
CODES = sorted(municipality_codes())
UNKNOWN_CODES = ["9999", "0001", "3000", "1111", "2099"]
REQUIRED = ["personnummer", "fornamn", "efternamn", "kommunkod"]
OPTIONAL = {
    "adress": "Storgatan 3",
    "postnummer": "771 30",
    "postort": "Ludvika",
    "skyddad": "N",
    "telefon": "070-123 45 67",
    "epost": "ung@example.se",
    "Anteckning": "vad som helst",  # an unknown column: ignored
}
# Letters Windows-1252 can hold, plus characters that force quoting.
NAME_LETTERS = "abcdefghijklmnopqrstuvwxyzåäöéABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖÉ"
JUNK = ["bad_check_digit", "empty_first_name", "empty_last_name", "unknown_municipality", "too_many", "too_few"]
EXPECTED_COLUMN = {
    "bad_check_digit": "personnummer",
    "empty_first_name": "fornamn",
    "empty_last_name": "efternamn",
    "unknown_municipality": "kommunkod",
    "too_many": "",
    "too_few": "",
}

# A text starting with an apostrophe and a formula character is read as our own defused cell
# (vagval.common.spreadsheet.restore_cell): no name looks like that.
names = (
    st.text(alphabet=NAME_LETTERS + " ,;-'", min_size=1, max_size=20)
    .filter(lambda name: name.strip(" ,;-'"))
    .filter(lambda name: not name.strip().startswith(("'-", "'+", "'=", "'@")))
)
people = st.tuples(
    st.dates(min_value=dt.date(1997, 1, 1), max_value=dt.date(2010, 12, 31)),
    st.integers(min_value=1, max_value=999),
    st.booleans(),  # samordningsnummer
)
rows = st.tuples(
    st.sampled_from(["valid"] * 4 + JUNK),
    people,
    names,
    names,
    st.sampled_from(CODES),
    st.sampled_from(["long", "long-dash", "short", "short-dash", "excel-number"]),
    st.booleans(),  # write a municipality code with a leading zero as Excel would (482)
    st.sampled_from(["", "", "", "\n", ";;;\n", "   \n"]),  # noise after the row: blank lines
)


def _written(number, form):
    return {
        "long": number,
        "long-dash": f"{number[:8]}-{number[8:]}",
        "short": number[2:],
        "short-dash": f"{number[2:8]}-{number[8:]}",
        "excel-number": str(int(number[2:])),
    }[form]


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    separator=st.sampled_from([";", ",", "\t"]),
    line_ending=st.sampled_from(["\r\n", "\n"]),
    optional=st.lists(st.sampled_from(sorted(OPTIONAL)), unique=True),
    order=st.randoms(use_true_random=False),
    leading_blank_lines=st.integers(min_value=0, max_value=2),
    drawn=st.lists(rows, min_size=1, max_size=25, unique_by=lambda row: (row[1][0], row[1][1])),
)
def test_every_valid_row_lands_once_and_every_junk_row_is_reported_once(
    encoding, separator, line_ending, optional, order, leading_blank_lines, drawn
):
    header = REQUIRED + optional
    order.shuffle(header)
    text = io.StringIO()
    writer = csv.writer(text, delimiter=separator, lineterminator=line_ending)
    text.write(line_ending * leading_blank_lines)
    writer.writerow(header)
    line = leading_blank_lines + 1
    expected_records = []
    expected_rejected = []
    for kind, (birth, serial, coordination), first, last, code, form, drop_zero, noise in drawn:
        number = identity_number(birth, serial, coordination=coordination)
        values = {
            "personnummer": _written(number, form),
            "fornamn": first,
            "efternamn": last,
            "kommunkod": code.lstrip("0") if drop_zero else code,
            **OPTIONAL,
        }
        if kind == "bad_check_digit":
            values["personnummer"] = with_wrong_check_digit(number)
        elif kind == "empty_first_name":
            values["fornamn"] = ""
        elif kind == "empty_last_name":
            values["efternamn"] = " "
        elif kind == "unknown_municipality":
            values["kommunkod"] = UNKNOWN_CODES[serial % len(UNKNOWN_CODES)]
        cells = [values[column] for column in header]
        if kind == "too_many":
            cells.append("extra")
        elif kind == "too_few":
            cells.pop()
        writer.writerow(cells)
        line += 1
        if kind == "valid":
            expected_records.append((line, number, " ".join(first.split()), " ".join(last.split()), code))
        else:
            expected_rejected.append((line, EXPECTED_COLUMN[kind]))
        text.write(noise.replace(";", separator).replace("\n", line_ending))
        line += noise.count("\n")
    data = text.getvalue().encode(encoding)

    result = parse_import_file(data, kind="befolkning", today=TODAY)

    assert [(r.line, r.identity_number, r.first_name, r.last_name, r.municipality_code) for r in result.records] == (
        expected_records
    )
    assert [(r.line, r.column) for r in result.rejected] == expected_rejected
    assert result.counts.read == len(drawn)
    assert result.unknown_columns == (("Anteckning",) if "Anteckning" in optional else ())
    assert result.separator == separator


def test_the_unknown_codes_used_above_really_are_unknown():
    assert not set(UNKNOWN_CODES) & municipality_codes()
