"""A logging filter that scrubs anything shaped like an identity number."""

import logging
import re

_IDENTITY_LIKE = re.compile(r"(?<!\d)(\d{2})?\d{6}[-+]?\d{4}(?!\d)")


def redact(text: str) -> str:
    return _IDENTITY_LIKE.sub("[personnummer borttaget]", text)


class RedactIdentityNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        return True
