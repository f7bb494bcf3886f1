"""A logging filter that scrubs anything shaped like an identity number."""

import logging
import re

_IDENTITY_LIKE = re.compile(r"(?<!\d)(\d{2})?\d{6}[-+]?\d{4}(?!\d)")


def redact(text: str) -> str:
    return _IDENTITY_LIKE.sub("[personnummer borttaget]", text)


class RedactIdentityNumbers(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info:
            # Tracebacks can quote data (a failing row on PostgreSQL): scrub them too.
            message += "\n" + logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        record.msg = redact(message)
        record.args = ()
        return True
