"""Swedish identity numbers (personnummer, samordningsnummer).

Stored normalised as 12 digits with century (YYYYMMDDNNNC). Parsing accepts the forms
registers and people write: YYYYMMDD-NNNN, YYYYMMDDNNNN, YYMMDD-NNNN, YYMMDD+NNNN and
YYMMDDNNNN. The check digit is verified with the `personnummer` package and again here
with our own Luhn so the rule is explicit and property-tested.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext, gettext_noop
from personnummer import personnummer as pnr_lib

PERSONNUMMER = "personnummer"
SAMORDNINGSNUMMER = "samordningsnummer"
# A birth date Vägval accepts lies between this day and today (issue 10: a number dated 9999
# once stopped a municipality's target-group refresh). One rule for numbers and typed dates.
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)


def birth_date_possible(day: dt.date, *, today: dt.date | None = None) -> bool:
    return EARLIEST_BIRTH_DATE <= day <= (today or dt.date.today())


_FORM = re.compile(r"^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)$")


class InvalidIdentityNumber(ValueError):
    """The text is not a valid identity number; the message is Swedish and says why.

    str(exc) stays Swedish in every language: the register import writes it into the `fel`
    column of the rejected-rows file, whose format is Swedish. Show `exc.message` to users: the
    same reason in the active language.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        return gettext(self.reason)


@dataclass(frozen=True)
class IdentityNumber:
    digits: str  # 12 digits, YYYYMMDDNNNC
    kind: str  # PERSONNUMMER or SAMORDNINGSNUMMER

    @property
    def birth_date(self) -> dt.date:
        day = int(self.digits[6:8])
        if self.kind == SAMORDNINGSNUMMER:
            day -= 60
        return dt.date(int(self.digits[0:4]), int(self.digits[4:6]), day)

    @property
    def legal_sex(self) -> str:
        """Legal sex from the serial number: 'M' or 'F'. Never use it as gender."""
        return "M" if int(self.digits[10]) % 2 == 1 else "F"

    def formatted(self) -> str:
        return f"{self.digits[:8]}-{self.digits[8:]}"

    def masked(self) -> str:
        """Birth date and a masked serial: safe for lists where the full number is not needed."""
        return f"{self.digits[:8]}-****"


def luhn_check_digit(nine_digits: str) -> int:
    """The Luhn (mod 10) digit over YYMMDDNNN with weights 2,1,2,1,..."""
    total = 0
    for index, char in enumerate(nine_digits):
        product = int(char) * (2 if index % 2 == 0 else 1)
        total += product // 10 + product % 10
    return (10 - total % 10) % 10


def _century(yy: int, mm: int, dd: int, separator: str, today: dt.date) -> int:
    """Infer the century of a 2-digit year: the latest birth date not after today.

    '+' means the person has turned 100, so the century before that.
    """
    year = (today.year // 100) * 100 + yy
    if (year, mm, dd) > (today.year, today.month, today.day):
        year -= 100
    if separator == "+":
        year -= 100
    return year // 100


def parse_identity_number(text: str, *, today: dt.date | None = None) -> IdentityNumber:
    """Parse any common written form into a normalised IdentityNumber or raise."""
    today = today or dt.date.today()
    cleaned = re.sub(r"\s", "", str(text or ""))
    match = _FORM.match(cleaned)
    if not match:
        raise InvalidIdentityNumber(gettext_noop("ogiltigt personnummer: fel format (ange ÅÅÅÅMMDD-NNNN)"))
    century, yy, month, day, separator, serial, check = match.groups()
    if century is None:
        century = f"{_century(int(yy), int(month), int(day) % 60, separator, today):02d}"
    nine = f"{yy}{month}{day}{serial}"
    digits = f"{century}{nine}{check}"
    kind = SAMORDNINGSNUMMER if int(day) > 60 else PERSONNUMMER
    number = IdentityNumber(digits=digits, kind=kind)
    try:
        number.birth_date  # noqa: B018 - raises ValueError on an impossible date
    except ValueError as exc:
        raise InvalidIdentityNumber(gettext_noop("ogiltigt personnummer: datumet finns inte")) from exc
    if not birth_date_possible(number.birth_date, today=today):
        raise InvalidIdentityNumber(
            gettext_noop("ogiltigt personnummer: födelsedatumet ligger före 1900 eller efter i dag")
        )
    if serial == "000":
        raise InvalidIdentityNumber(gettext_noop("ogiltigt personnummer: födelsenumret 000 används inte"))
    if luhn_check_digit(nine) != int(check):
        raise InvalidIdentityNumber(gettext_noop("ogiltigt personnummer: kontrollsiffran stämmer inte"))
    # Second opinion from the reference implementation.
    if not pnr_lib.valid(digits):
        raise InvalidIdentityNumber(gettext_noop("ogiltigt personnummer"))
    return number


def looks_like_identity_number(text: str) -> bool:
    """True for text shaped like a (possibly partial) identity number: 6+ digits."""
    return bool(re.fullmatch(r"\d{6,8}([-+]?\d{0,4})?", re.sub(r"\s", "", text or "")))
