"""Reading the to-do list: the items of the viewer's unit that they may see, soonest first.

The items come from the sources (worklist.sources), one query each; marks (done, moved) are
applied from one more query. The count for the menu runs the same code without loading or
logging any person, and is cached briefly per user (COUNT_SECONDS) so that the menu does not
make every page slow; marking an item clears the marking user's cached count.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from vagval.access.checks import ROLES_THAT_WRITE, may_see_persons, visible_persons
from vagval.access.scope import ScopedPerson, scope_for
from vagval.accounts.models import User
from vagval.audit.services import AccessContext
from vagval.people.models import Person
from vagval.worklist.models import ItemMark, MarkState
from vagval.worklist.sources import Row, Source, SourceContext, source_for, sources

COUNT_SECONDS = 120
MARK_BATCH = 500


def horizon_days() -> int:
    return int(getattr(settings, "WORKLIST_HORIZON_DAYS", 14))


@dataclass(frozen=True)
class Item:
    row: Row
    due_on: dt.date  # the row's date, or the date it was moved to
    moved: ItemMark | None
    person: ScopedPerson | None = None

    @property
    def kind(self) -> str:
        return self.row.kind

    @property
    def object_id(self) -> uuid.UUID:
        return self.row.object_id

    def overdue(self, today: dt.date) -> bool:
        return self.due_on < today

    @property
    def kind_label(self) -> str:
        source = source_for(self.row.kind)
        return str(source.label) if source else self.row.kind


def source_context(*, viewer: User, today: dt.date | None = None) -> SourceContext | None:
    """The sources' context for the viewer, or None when they may see no person (no list)."""
    if not may_see_persons(viewer) or viewer.unit_id is None:
        return None
    today = today or timezone.localdate()
    return SourceContext(
        viewer=viewer,
        unit_id=viewer.unit_id,
        today=today,
        horizon=today + dt.timedelta(days=horizon_days()),
        visible=visible_persons(viewer=viewer, today=today),
    )


def _marks(unit_id: uuid.UUID, rows: list[Row]) -> dict[tuple[str, uuid.UUID], ItemMark]:
    ids = sorted({row.object_id for row in rows})
    found: dict[tuple[str, uuid.UUID], ItemMark] = {}
    for start in range(0, len(ids), MARK_BATCH):
        for mark in ItemMark.objects.filter(unit_id=unit_id, object_id__in=ids[start : start + MARK_BATCH]):
            found[(mark.kind, mark.object_id)] = mark
    return found


def _selected(kind: str | None) -> list[Source]:
    return [s for s in sources() if kind is None or s.kind == kind]


def open_items(
    *, viewer: User, today: dt.date | None = None, kind: str | None = None, person_id: uuid.UUID | None = None
) -> list[Item]:
    """The unit's open items the viewer may see, soonest first, without persons (nothing logged)."""
    ctx = source_context(viewer=viewer, today=today)
    if ctx is None:
        return []
    rows = [row for source in _selected(kind) for row in source.collect(ctx)]
    if person_id is not None:
        rows = [row for row in rows if row.person_id == person_id]
    if not rows:
        return []
    marks = _marks(ctx.unit_id, rows)
    items = []
    for row in rows:
        mark = marks.get((row.kind, row.object_id))
        if mark is None:
            items.append(Item(row=row, due_on=row.due_on, moved=None))
        elif mark.state == MarkState.MOVED and mark.moved_to is not None and mark.moved_to <= ctx.horizon:
            items.append(Item(row=row, due_on=mark.moved_to, moved=mark))
        # Done, or moved beyond the horizon: not on the list.
    items.sort(key=lambda item: (item.due_on, item.row.kind, str(item.row.object_id)))
    return items


def _count_key(user: User, today: dt.date) -> str:
    return f"worklist:count:{user.pk}:{today.isoformat()}"


def worklist_count(*, viewer: User, today: dt.date | None = None, cached: bool = True) -> int:
    """How many items wait for the viewer's unit (for the menu and the daily e-mail)."""
    today = today or timezone.localdate()
    if not cached:
        return len(open_items(viewer=viewer, today=today))
    key = _count_key(viewer, today)
    count = cache.get(key)
    if count is None:
        count = len(open_items(viewer=viewer, today=today))
        cache.set(key, count, COUNT_SECONDS)
    return int(count)


def worklist_count_forget(*, viewer: User) -> None:
    cache.delete(_count_key(viewer, timezone.localdate()))


@dataclass(frozen=True)
class WorklistPage:
    items: list[Item]
    total: int
    today: dt.date
    kinds: list[tuple[str, str]]
    persons: list[ScopedPerson]  # the persons of the whole list, for the person filter
    may_mark: bool


def may_mark(viewer: User) -> bool:
    """Marking is part of the work: the roles that may change a person's record (not bob, pia)."""
    return bool(viewer.can_write and viewer.role in ROLES_THAT_WRITE and may_see_persons(viewer))


def worklist_page(
    *,
    viewer: User,
    ctx: AccessContext,
    kind: str | None = None,
    person_id: uuid.UUID | None = None,
    limit: int | None = None,
    today: dt.date | None = None,
) -> WorklistPage:
    """The to-do list as a page shows it: items with their persons, each person logged once.

    The person filter offers the persons of the unfiltered list, so they are shown (and logged)
    too. A person the access check no longer admits is left out with their items.
    """
    today = today or timezone.localdate()
    items = open_items(viewer=viewer, today=today, kind=kind)
    kinds = [(s.kind, str(s.label)) for s in sources()]
    all_ids = {item.row.person_id for item in items}
    shown_items = [i for i in items if person_id is None or i.row.person_id == person_id]
    total = len(shown_items)
    if limit is not None:
        shown_items = shown_items[:limit]
    # The filter lists every person of the list; the start page (limit) only those it shows.
    wanted = all_ids if limit is None else {i.row.person_id for i in shown_items}
    persons = list(Person.objects.filter(pk__in=wanted).order_by("last_name", "first_name", "pk"))
    shown = scope_for(ctx, "worklist").shown(persons, action="worklist.viewed") if persons else []
    by_id = {s.person.pk: s for s in shown}
    result = [
        Item(row=i.row, due_on=i.due_on, moved=i.moved, person=by_id[i.row.person_id])
        for i in shown_items
        if i.row.person_id in by_id
    ]
    return WorklistPage(
        items=result,
        total=total,
        today=today,
        kinds=kinds,
        persons=shown if limit is None else [],
        may_mark=may_mark(viewer),
    )


def item_find(*, viewer: User, kind: str, object_id: uuid.UUID, today: dt.date | None = None) -> Item | None:
    """The open item (kind, object) on the viewer's list, or None (also for another unit's)."""
    if source_for(kind) is None:
        return None
    return next((i for i in open_items(viewer=viewer, today=today, kind=kind) if i.row.object_id == object_id), None)
