"""Signals people sends for apps above it (which people may not import).

`enrolment_reopened` is sent inside the re-entry's transaction, after the enrolment is saved, with
`ctx` (the AccessContext) and `enrolment`: followup marks the open exit superseded there, so the
re-entry and its consequences commit or fail together.
"""

from __future__ import annotations

from django.dispatch import Signal

enrolment_reopened = Signal()
