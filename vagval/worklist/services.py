"""Writing the to-do list's records: marks on items, notifications read, the mail setting."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vagval.access.scope import scope_for
from vagval.audit.services import AccessContext
from vagval.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from vagval.common.versions import CONFLICT_MESSAGE, require_version, version_of
from vagval.people.models import Person
from vagval.worklist import notifications, selectors
from vagval.worklist.models import ItemMark, MarkState, NotificationRead, WorklistSetting

# The version of an item nobody has marked yet (a version is never empty: the form requires it).
NO_MARK = "ny"
ITEM_NOT_FOUND = gettext_lazy("Uppgiften finns inte på din att göra-lista.")


def item_mark(
    *,
    ctx: AccessContext,
    kind: str,
    object_id: uuid.UUID,
    state: str,
    moved_to: dt.date | None = None,
    reason: str = "",
    today: dt.date | None = None,
    expected_version: str | None = None,
) -> ItemMark:
    """Mark an item of the actor's to-do list done, or move it to a later date with a reason.

    Only an item that is on the actor's list now can be marked (another unit's item, or one the
    actor may not see, is "not found"). Logged with the person's basis, in the same transaction.

    `expected_version`: the item's mark as the actor saw it (mark_version; NO_MARK when it had none).
    A colleague's mark set since then raises Conflict instead of being replaced unseen.
    """
    viewer = ctx.user
    today = today or timezone.localdate()
    item = selectors.item_find(viewer=viewer, kind=kind, object_id=object_id, today=today)
    if item is None:
        raise NotFound(ITEM_NOT_FOUND)
    if not selectors.may_mark(viewer):
        raise PermissionDenied(_("Du har endast läsbehörighet."))
    reason = reason.strip()
    errors: dict[str, list[str]] = {}
    if state == MarkState.MOVED:
        if moved_to is None:
            errors["moved_to"] = [_("Ange ett nytt datum.")]
        elif moved_to <= today:
            errors["moved_to"] = [_("Det nya datumet måste vara efter i dag.")]
        if not reason:
            errors["reason"] = [_("Skriv varför uppgiften flyttas.")]
    elif state == MarkState.DONE:
        moved_to = None
    else:
        errors["state"] = [_("Välj klar eller flytta.")]
    if len(reason) > 500:
        errors["reason"] = [_("Högst 500 tecken.")]
    if errors:
        raise InvalidInput(_("Uppgiften kunde inte markeras."), field_errors=errors)
    person = Person.objects.filter(pk=item.row.person_id).first()
    shown = scope_for(ctx, "worklist").admit(person)
    assert viewer.unit_id is not None  # only staff at a unit may mark (checked above)
    values = {"person_id": item.row.person_id, "state": state, "moved_to": moved_to, "reason": reason}
    with transaction.atomic():
        mark = (
            ItemMark.objects.select_for_update().filter(kind=kind, object_id=object_id, unit_id=viewer.unit_id).first()
        )
        require_version(expected=expected_version, current=mark_version(mark=mark))
        if mark is None:
            mark = _mark_create(kind=kind, object_id=object_id, unit_id=viewer.unit_id, marked_by=viewer, **values)
        else:
            for name, value in values.items():
                setattr(mark, name, value)
            mark.marked_by = viewer
            mark.save()
        detail = {"kind": kind, "object": str(object_id)}
        if moved_to is not None:
            detail["moved_to"] = moved_to.isoformat()
        action = "worklist.item_moved" if state == MarkState.MOVED else "worklist.item_done"
        scope_for(ctx, "worklist").log(action, shown, detail)
    selectors.worklist_count_forget(viewer=viewer)
    return mark


def mark_version(*, mark: ItemMark | None) -> str:
    """The edit version of an item's mark (the mark page's hidden field); NO_MARK while it has none."""
    return NO_MARK if mark is None else version_of(mark)


def _mark_create(**values: object) -> ItemMark:
    """The item's first mark. Two first marks at the same moment: the unique (kind, object, unit)
    refuses the second, which is a Conflict like any stale mark (never a silent overwrite)."""
    try:
        with transaction.atomic():
            return ItemMark.objects.create(**values)
    except IntegrityError as exc:
        raise Conflict(CONFLICT_MESSAGE) from exc


def notification_open(*, ctx: AccessContext, kind: str, key: str) -> str:
    """Mark one of the actor's notifications read; returns where it leads. Opening it shows the
    person's record there, which that page logs."""
    found = notifications.notification_find(viewer=ctx.user, kind=kind, key=key)
    if found is None:
        raise NotFound(_("Aviseringen finns inte."))
    NotificationRead.objects.get_or_create(user=ctx.user, kind=kind, object_key=key)
    notifications.unread_count_forget(viewer=ctx.user)
    return found.url


def notifications_mark_all_read(*, ctx: AccessContext) -> None:
    WorklistSetting.objects.update_or_create(user=ctx.user, defaults={"notifications_read_before": timezone.now()})
    notifications.unread_count_forget(viewer=ctx.user)


def worklist_setting_update(*, ctx: AccessContext, daily_email: bool) -> WorklistSetting:
    """The user's own choice of the daily e-mail (their account, not person data)."""
    setting, _created = WorklistSetting.objects.update_or_create(user=ctx.user, defaults={"daily_email": daily_email})
    return setting
