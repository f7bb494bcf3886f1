"""A logging filter that scrubs anything shaped like an identity number."""

import logging
import re

# A UUID (a record's id, which logs may name) is matched first and kept whole: its groups can
# hold ten or twelve digits in a row that would otherwise look like a number and be cut.
_UUID_OR_IDENTITY_LIKE = re.compile(
    r"(?P<uuid>(?<![0-9A-Fa-f])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Fa-f]))"
    r"|(?<!\d)(\d{2})?\d{6}[-+]?\d{4}(?!\d)"
)


def _replace(match: re.Match[str]) -> str:
    return match.group(0) if match.group("uuid") else "[personnummer borttaget]"


def redact(text: str) -> str:
    return _UUID_OR_IDENTITY_LIKE.sub(_replace, text)


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
