"""Turning one cell into a typed value, or a Swedish reason why it cannot be.

Cells are text (CSV) or whatever openpyxl read (XLSX: int, float, bool, datetime, str, None).
Every parser takes either and strips surrounding spaces. Reasons never quote an identity number
or contact details (they end up in lists and summaries); they may quote codes and dates.

Excel's habits handled here:
- numbers lose their leading zeros: kommunkod 482 → 0482; an identity number stored as a number
  → see parse_identity; a phone number 701234567 → 0701234567;
- whole numbers come back as 2085.0 from some tools: the ".0" is dropped;
- dates are day counts (Excel serial dates, e.g. 45000 = 2023-03-15) when the cell was not
  formatted as a date;
- numbers with more than 11 digits are saved to CSV in exponent form (2,00811E+11): the digits are
  gone, so such an identity number is rejected with a reason that says how to fix the export.
"""

from __future__ import annotations

import datetime as dt
import enum
import re

from vagval.common.identity import (
    PERSONNUMMER,
    SAMORDNINGSNUMMER,
    IdentityNumber,
    InvalidIdentityNumber,
    birth_date_possible,
    parse_identity_number,
)
from vagval.common.spreadsheet import restore_cell

from .reading import CONTROL_CHARACTERS, CellValue


class ValueProblem(ValueError):
    """A cell's value is not acceptable; `reason` is Swedish and says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Skolform(enum.StrEnum):
    GY = "GY"  # gymnasieskola
    GYAN = "GYAN"  # anpassad gymnasieskola
    IM = "IM"  # introduktionsprogram
    KOMVUX = "KOMVUX"
    FHS = "FHS"  # folkhögskola
    YH = "YH"  # yrkeshögskola
    HS = "HS"  # högskola
    OVR = "OVR"  # annan


class StudyStatus(enum.StrEnum):
    PAGAENDE = "pagaende"
    AVBROTT = "avbrott"
    EXAMEN = "examen"
    STUDIEBEVIS = "studiebevis"
    AVSLUTAD = "avslutad"


_WHOLE_FLOAT = re.compile(r"^(\d+)[.,]0+$")
_EXPONENT = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$")
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))
_SPACES = re.compile(r"\s+")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_SERIAL_DATE = re.compile(r"^(\d{5})(?:[.,]\d+)?$")
_PHONE = re.compile(r"^\+?[0-9 ()/.\-]+$")
# Light: something@domain.tld, no spaces; domain labels of letters, digits and inner hyphens.
_EMAIL = re.compile(r"^[^@\s]{1,64}@(?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,63}$")
# Excel serial dates accepted: 10000 (1927-05-18) to 99999 (2173-10-13).
SERIAL_MIN, SERIAL_MAX = 10_000, 99_999
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)

_YES = frozenset({"j", "ja", "1", "true", "sant", "y", "yes"})
_NO = frozenset({"n", "nej", "0", "false", "falskt", "no"})


def _shown(text: str, limit: int = 30) -> str:
    """A value quoted in a reason: shortened so a reason stays one line."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cell_text(value: CellValue) -> str:
    """The cell as text: stripped; whole numbers without a decimal part; dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, str):
        # A value our own rejected-rows file defused ("'=...") comes back as it was.
        return restore_cell(value.strip())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _number_text(value: CellValue) -> str:
    """Text of a cell that should hold digits: "2085.0" and 2085.0 become "2085"."""
    text = cell_text(value)
    whole = _WHOLE_FLOAT.match(text)
    return whole.group(1) if whole else text


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


# Luhn: a digit in a doubled position contributes the digit sum of its double.
_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def _register_form(text: str, today: dt.date) -> IdentityNumber | None:
    """The form register extracts use, YYYYMMDD-NNNC or YYYYMMDDNNNC, when it is a valid number;
    None for anything else, which parse_identity_number then reads (and explains when invalid).

    The same checks as vagval.common.identity.parse_identity_number makes on these forms (date,
    serial 000, Luhn digit; the `personnummer` package's opinion follows from them), without its
    general form matching: most rows of an extract come this way.
    """
    if len(text) == 13 and text[8] == "-":
        digits = text[:8] + text[9:]
    elif len(text) == 12:
        digits = text
    else:
        return None
    if not (digits.isascii() and digits.isdigit()) or digits[8:11] == "000":
        return None
    day = int(digits[6:8])
    coordination = day > 60
    try:
        born = dt.date(int(digits[:4]), int(digits[4:6]), day - 60 if coordination else day)
    except ValueError:
        return None
    if not birth_date_possible(born, today=today):
        return None
    doubled = _LUHN_DOUBLED
    total = (
        doubled[ord(digits[2]) - 48]
        + doubled[ord(digits[4]) - 48]
        + doubled[ord(digits[6]) - 48]
        + doubled[ord(digits[8]) - 48]
        + doubled[ord(digits[10]) - 48]
        + int(digits[3])
        + int(digits[5])
        + int(digits[7])
        + int(digits[9])
    )
    if (10 - total % 10) % 10 != ord(digits[11]) - 48:
        return None
    return IdentityNumber(digits=digits, kind=SAMORDNINGSNUMMER if coordination else PERSONNUMMER)


def parse_identity(value: CellValue, *, today: dt.date, empty_reason: str = "personnummer saknas") -> IdentityNumber:
    """Any common written form of a personnummer or samordningsnummer, Excel-mangled or not.

    Accepted besides the forms vagval.common.identity reads (YYYYMMDD-NNNN, YYYYMMDDNNNN,
    YYMMDD-NNNN, YYMMDD+NNNN, YYMMDDNNNN; spaces and odd dashes ignored):
    - a number cell or a digits-only text with 7, 8 or 9 digits: a YYMMDDNNNN whose leading
      zeros Excel dropped (born 2000–2009: 0503140014 → 503140014; born 2000-01..09: 7 digits).
      The zeros are put back and the check digit must still match;
    - a whole number written with ".0" (200811050095.0).
    Not accepted: 11 digits (a 12-digit number starts with 19 or 20, so Excel cannot have dropped
    a zero: a digit is missing) and exponent form (2,00811E+11: the digits are lost).
    """
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    else:
        text = _SPACES.sub("", cell_text(value).translate(_DASHES))
    if not text:
        raise ValueProblem(empty_reason)
    number = _register_form(text, today)
    if number is not None:
        return number
    if _EXPONENT.match(text):
        raise ValueProblem(
            "ogiltigt personnummer: Excel har sparat numret i exponentform (t.ex. 2,00811E+11) och siffrorna "
            "har gått förlorade; formatera kolumnen som text och ta ut filen igen"
        )
    whole = _WHOLE_FLOAT.match(text)
    if whole:
        text = whole.group(1)
    if _digits(text):
        if 7 <= len(text) <= 9:
            text = text.zfill(10)  # leading zeros lost when the number was stored as a number
        elif len(text) == 11:
            raise ValueProblem("ogiltigt personnummer: 11 siffror, en siffra saknas eller är för mycket")
    try:
        return parse_identity_number(text, today=today)
    except InvalidIdentityNumber as exc:
        raise ValueProblem(str(exc)) from exc


def parse_municipality_code(value: CellValue, *, known: frozenset[str]) -> str:
    """A four-digit SCB code that exists; "482" (a lost leading zero) is read as "0482"."""
    text = _number_text(value)
    if not text:
        raise ValueProblem("kommunkod saknas")
    if not (_digits(text) and len(text) in (3, 4)):
        raise ValueProblem(f"ogiltig kommunkod '{_shown(text)}' (ange fyra siffror, t.ex. 2085)")
    code = text.zfill(4)
    if code not in known:
        raise ValueProblem(f"kommunkoden {code} finns inte")
    return code


def parse_postal_code(value: CellValue) -> str | None:
    """`NNN NN` or `NNNNN` → "NNNNN"; empty → None."""
    text = _SPACES.sub("", _number_text(value))
    if not text:
        return None
    if not (_digits(text) and len(text) == 5 and text[0] != "0"):
        raise ValueProblem(f"ogiltigt postnummer '{_shown(text)}' (ange fem siffror, t.ex. 771 30)")
    return text


def parse_yes_no(value: CellValue) -> bool | None:
    """J/N, ja/nej, 1/0, true/false (also Excel's SANT/FALSKT) → bool; empty → None (not stated)."""
    if isinstance(value, bool):
        return value
    text = _number_text(value).casefold()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueProblem(f"okänt värde '{_shown(text)}' (ange J eller N)")


def parse_text(value: CellValue, *, max_length: int, required_reason: str | None = None) -> str | None:
    """Free text (names, address, programme): spaces collapsed; empty → None or the required reason."""
    text = " ".join(cell_text(value).split())
    if not text:
        if required_reason:
            raise ValueProblem(required_reason)
        return None
    if CONTROL_CHARACTERS.search(text):
        raise ValueProblem("otillåtet tecken (styrtecken) i värdet")
    if len(text) > max_length:
        raise ValueProblem(f"för långt värde (högst {max_length} tecken)")
    return text


def parse_phone(value: CellValue) -> str | None:
    """Light check: digits with spaces, +, -, (, ), / or . ; 6–15 digits; at most 40 characters.

    A digits-only value of 6–9 digits that does not start with 0 had its leading zero dropped by
    Excel (0701234567 stored as 701234567): the zero is put back.
    """
    text = _SPACES.sub(" ", _number_text(value)).strip()
    if not text:
        return None
    digit_count = sum(char.isdigit() for char in text)
    if not _PHONE.match(text) or not 6 <= digit_count <= 15 or len(text) > 40:
        raise ValueProblem("ogiltigt telefonnummer")
    if _digits(text) and 6 <= len(text) <= 9 and text[0] != "0":
        text = "0" + text
    return text


def parse_email(value: CellValue) -> str | None:
    """Light check: one @, no spaces, a domain with a dot and a top-level domain of letters."""
    text = cell_text(value)
    if not text:
        return None
    if len(text) > 254 or not _EMAIL.match(text):
        raise ValueProblem("ogiltig e-postadress")
    return text


def _fold(text: str) -> str:
    return text.casefold().replace("å", "a").replace("ä", "a").replace("ö", "o")


_SKOLFORMER = {_fold(code.value): code for code in Skolform}
_STATUSES = {_fold(status.value): status for status in StudyStatus}


def parse_skolform(value: CellValue) -> Skolform:
    text = cell_text(value)
    if not text:
        raise ValueProblem("skolform saknas")
    found = _SKOLFORMER.get(_fold(text).replace(" ", ""))
    if found is None:
        raise ValueProblem(f"okänd skolform '{_shown(text)}'")
    return found


def parse_status(value: CellValue) -> StudyStatus:
    text = cell_text(value)
    if not text:
        raise ValueProblem("status saknas")
    found = _STATUSES.get(_fold(text).replace(" ", ""))
    if found is None:
        raise ValueProblem(
            f"okänd status '{_shown(text)}' (ange pagaende, avbrott, examen, studiebevis eller avslutad)"
        )
    return found


def _serial_date(serial: float, epoch: dt.datetime) -> dt.date:
    if not SERIAL_MIN <= serial <= SERIAL_MAX:
        raise ValueProblem(f"ogiltigt datum '{cell_text(serial)}' (ange ÅÅÅÅ-MM-DD)")
    return (epoch + dt.timedelta(days=int(serial))).date()


def parse_date(value: CellValue, *, epoch: dt.datetime = _EXCEL_EPOCH) -> dt.date | None:
    """ISO (2025-08-18, also with a time), YYYYMMDD, an Excel serial date, or an Excel date cell.

    Serial dates count days from `epoch` (the workbook's; 1899-12-30 for CSV files) and must lie
    between 10000 and 99999 (1927–2173); a time-of-day part is ignored.
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial_date(value, epoch)
    text = cell_text(value)
    if not text:
        return None
    try:
        if match := _ISO_DATE.match(text) or _COMPACT_DATE.match(text):
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError as exc:
        raise ValueProblem(f"datumet '{_shown(text)}' finns inte") from exc
    if match := _SERIAL_DATE.match(text):
        return _serial_date(float(text.replace(",", ".")), epoch)
    raise ValueProblem(f"ogiltigt datum '{_shown(text)}' (ange ÅÅÅÅ-MM-DD)")
