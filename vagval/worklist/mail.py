"""The optional daily e-mail: how many items wait, and a link. Never a name or any other
personal data (not even the recipient's own name): e-mail leaves the installation's control."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, override

from vagval.accounts.models import User
from vagval.worklist.models import WorklistSetting
from vagval.worklist.selectors import worklist_count


def daily_email_text(*, count: int) -> tuple[str, str]:
    """(subject, body) of the e-mail: a number and a link, nothing else."""
    link = f"{settings.SITE_URL}{reverse('worklist:list')}"
    subject = _("Att göra i Vägval")
    waiting = ngettext("%(count)d sak väntar på dig i Vägval.", "%(count)d saker väntar på dig i Vägval.", count) % {
        "count": count
    }
    body = "\n\n".join(
        [
            waiting,
            _("Logga in för att se dem: %(link)s") % {"link": link},
            _("Du får det här brevet för att du har valt det. Du kan stänga av det på sidan Att göra."),
        ]
    )
    return str(subject), body + "\n"


def daily_email_send(*, today: dt.date) -> int:
    """Send the e-mail to each active user who chose it and has items waiting; returns how many
    were sent. Run by the periodic job (worklist.jobs) as a system actor."""
    chosen = WorklistSetting.objects.filter(daily_email=True).values("user_id")
    sent = 0
    for user in User.objects.filter(pk__in=chosen, is_active=True).exclude(email="").order_by("pk"):
        count = worklist_count(viewer=user, today=today, cached=False)
        if count == 0:
            continue
        with override(settings.LANGUAGE_CODE):
            subject, body = daily_email_text(count=count)
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        sent += 1
    return sent
