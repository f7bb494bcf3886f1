"""Sending personal links by e-mail or SMS through a pluggable sender.

The sender is named by the setting ASSESSMENT_LINK_SENDER (a dotted path to a class with
send_email and send_sms); the default, ConsoleSender, only writes the message to the log and
is meant for the demo and development. A production installation names a real sender.

Messages never contain a personnummer: they carry the first name, the form's title and the link.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from vagval.common.logging import redact

DEFAULT_SENDER = "vagval.assessments.senders.ConsoleSender"
logger = logging.getLogger("vagval.assessments.senders")


class Sender(Protocol):
    def send_email(self, *, to: str, subject: str, body: str) -> None: ...

    def send_sms(self, *, to: str, body: str) -> None: ...


class ConsoleSender:
    """Writes the message to the log instead of sending it (demo and development only)."""

    def send_email(self, *, to: str, subject: str, body: str) -> None:
        logger.info("E-post till %s: %s\n%s", to, subject, redact(body))

    def send_sms(self, *, to: str, body: str) -> None:
        logger.info("SMS till %s:\n%s", to, redact(body))


def get_sender() -> Sender:
    path = getattr(settings, "ASSESSMENT_LINK_SENDER", DEFAULT_SENDER)
    sender: Sender = import_string(path)()
    return sender
