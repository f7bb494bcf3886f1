"""The accounting file's parser: good rows summed per month and cost type, every bad row rejected
with its line number and reason."""

import datetime as dt
from decimal import Decimal

from vagval.budget.importing import decode, parse_amount, parse_costs

FILE = """månad;kostnadstyp;belopp;text
2025-01;personal;125 000,00;Lön januari
2025-01;Personal;1000.50;Lön extra
2025-01;köpta tjänster;8450,5;Handledning
2025-13;resor;100;Fel månad
2025-02;bilar;100;Okänd typ
2025-02;resor;12,345;Tre decimaler

2025-02;övrigt;-200,00;Kreditering
2025-02;lokaler
"""


def test_good_rows_are_summed_and_bad_rows_named_by_line():
    parsed = parse_costs(FILE)
    assert parsed.error == ""
    assert parsed.accepted == 4
    assert parsed.totals == {
        ("personal", dt.date(2025, 1, 1)): Decimal("126000.50"),
        ("kopta_tjanster", dt.date(2025, 1, 1)): Decimal("8450.5"),
        ("ovrigt", dt.date(2025, 2, 1)): Decimal("-200.00"),
    }
    assert [(r.line, r.reason) for r in parsed.rejected] == [
        (5, "Månaden ska skrivas ÅÅÅÅ-MM."),
        (6, "Okänd kostnadstyp (personal, lokaler, köpta tjänster, resor eller övrigt)."),
        (7, "Beloppet ska vara ett tal i kronor med högst två decimaler."),
        (10, "Raden har för få fält."),
    ]
    assert parsed.months == [dt.date(2025, 1, 1), dt.date(2025, 2, 1)]


def test_a_file_without_the_header_is_refused_whole():
    parsed = parse_costs("2025-01;personal;100\n")
    assert parsed.error.startswith("Filen saknar en rubrikrad")
    assert parsed.totals == {}


def test_columns_may_come_in_any_order_with_others_between():
    parsed = parse_costs("Konto;Belopp;Manad;Kostnadstyp\n4010;1 234,50;2025-03-15;lokaler\n")
    assert parsed.totals == {("lokaler", dt.date(2025, 3, 1)): Decimal("1234.50")}


def test_amounts_in_swedish_and_plain_form():
    assert parse_amount("1 234,56") == Decimal("1234.56")
    assert parse_amount("1\u00a0234") == Decimal("1234")
    assert parse_amount("−50,00") == Decimal("-50.00")
    assert parse_amount("1.234,56") is None  # both separators: ambiguous
    assert parse_amount("abc") is None


def test_a_windows_1252_file_is_read():
    assert decode("månad;kostnadstyp;belopp\n".encode("cp1252")).startswith("månad")
    assert decode("\ufeffmånad".encode()) == "månad"
