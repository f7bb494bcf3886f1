"""Reading the to-do list: the items of the viewer's unit that they may see, soonest first.

A page of the list (worklist_page) and the menu's count (worklist_count) are read in the
database: the sources' queries as one statement with the marks, the persons' access, the order
and the page cut (worklist.paging), plus the few kinds whose item ids are made in Python
(Source.derive), merged in. open_items reads every item in Python, from the same queries, with
the same rules: it finds one item to mark, and the tests hold the page to it (same items, same
order). The order is total: the date shown, then the sources' order, then the object's key.

The count is cached briefly per user (COUNT_SECONDS) so that the menu does not make every page
slow; marking an item clears the marking user's cached count.
"""

from __future__ import annotations

import datetime as dt
import heapq
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from vagval.access.checks import ROLES_THAT_WRITE, may_see_persons, visible_persons_per_row
from vagval.access.scope import ScopedPerson, scope_for
from vagval.accounts.models import User
from vagval.audit.services import AccessContext
from vagval.common import sql
from vagval.people.models import Person
from vagval.worklist import compiled, paging
from vagval.worklist.models import ItemMark, MarkState
from vagval.worklist.sources import Read, Row, Source, SourceContext, as_date, source_for, sources

COUNT_SECONDS = 120
# A mark lasts this long after it was last set: an item still open a year after it was marked
# done (a follow-up never recorded, a step never ended) comes back on the list. It also keeps
# the marks read per page proportional to a year's marking, not to the unit's whole history.
MARK_DAYS = 365


def horizon_days() -> int:
    return int(getattr(settings, "WORKLIST_HORIZON_DAYS", 14))


@dataclass(frozen=True)
class Item:
    row: Row
    due_on: dt.date  # the row's date, or the date it was moved to
    moved: Mark | None
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
    def label(self) -> str:
        return self.row.label

    @property
    def url(self) -> str:
        return self.row.url

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
    )


@dataclass(frozen=True)
class Mark:
    state: str
    moved_to: dt.date | None
    reason: str


def _since() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=MARK_DAYS)


def _marks(unit_id: uuid.UUID, kinds: list[str]) -> dict[tuple[str, str], Mark]:
    """The unit's marks of these kinds set within MARK_DAYS (one query, no list of ids), keyed
    by (kind, the object's hex key) as the rows carry it."""
    rows = ItemMark.objects.filter(unit_id=unit_id, kind__in=kinds, updated_at__gte=_since()).values_list(
        "kind", "object_id", "state", "moved_to", "reason"
    )
    return {(kind, object_id.hex): Mark(state, moved_to, reason) for kind, object_id, state, moved_to, reason in rows}


def _visible(viewer: User, person_keys: set[str]) -> set[str]:
    """Of these persons (hex keys), those the viewer may see (the one access check; nothing logged).

    The persons list_access would admit, asked of the database in one query (each candidate
    tested by index probes, visible_persons_per_row): a big unit's list holds items of hundreds
    of persons, and loading them to build a grant each cost most of the page."""
    ids = [uuid.UUID(hex=key) for key in person_keys]
    return {pk.hex for pk in visible_persons_per_row(viewer=viewer).filter(pk__in=ids).values_list("pk", flat=True)}


def _selected(kind: str | None) -> list[Source]:
    return [s for s in sources() if kind is None or s.kind == kind]


def _order_key(item: Item) -> tuple[dt.date, int, str]:
    """The list's order: the date shown, the sources' order, the object's key (paging's ORDER BY)."""
    return item.due_on, _source_order()[item.kind], item.row.object_key


def _source_order() -> dict[str, int]:
    return {source.kind: order for order, source in enumerate(sources())}


def open_items(
    *, viewer: User, today: dt.date | None = None, kind: str | None = None, person_id: uuid.UUID | None = None
) -> list[Item]:
    """Every open item of the unit the viewer may see, in the list's order, without persons
    (nothing logged), read in Python: for one item (item_find) and as the page's reference."""
    ctx = source_context(viewer=viewer, today=today)
    if ctx is None:
        return []
    return _items_in_python(viewer, ctx, _selected(kind), person_id)


def _items_in_python(
    viewer: User, ctx: SourceContext, selected: list[Source], person_id: uuid.UUID | None, read: Read | None = None
) -> list[Item]:
    """`read`: how the derived kinds' queries run (the ORM's, or the page's compiled once)."""
    rows = [row for source in selected for row in source.collect(ctx, read)]
    if person_id is not None:
        rows = [row for row in rows if row.person_key == person_id.hex]
    if not rows:
        return []
    visible = _visible(viewer, {row.person_key for row in rows})
    rows = [row for row in rows if row.person_key in visible]
    marks = _marks(ctx.unit_id, [s.kind for s in selected])
    items = []
    for row in rows:
        mark = marks.get((row.kind, row.object_key))
        if mark is None:
            items.append(Item(row=row, due_on=row.due_on, moved=None))
        elif mark.state == MarkState.MOVED and mark.moved_to is not None and mark.moved_to <= ctx.horizon:
            items.append(Item(row=row, due_on=mark.moved_to, moved=mark))
        # Done, or moved beyond the horizon: not on the list.
    items.sort(key=_order_key)
    return items


def _window(
    viewer: User, ctx: SourceContext, kind: str | None, person_id: uuid.UUID | None, offset: int, limit: int
) -> tuple[list[Item], int]:
    """Items [offset, offset + limit) of the list in its order, and how many it has in all."""
    selected = _selected(kind)
    derived = _items_in_python(viewer, ctx, _derived(selected), person_id, compiled.reader(ctx))
    # Derived items may come anywhere: with some, the statement reads from the top and they are
    # merged in; without them (most lists) the database cuts the page itself.
    start = 0 if derived else offset
    found = paging.page_rows(
        viewer=viewer,
        ctx=ctx,
        chosen=_chosen(selected),
        person_id=person_id,
        since=_since(),
        offset=start,
        limit=offset + limit - start,
    )
    items = [_item_from(ctx, row) for row in found.rows]
    merged = list(heapq.merge(items, derived, key=_order_key)) if derived else items
    return merged[offset - start : offset - start + limit], found.total + len(derived)


def _derived(selected: list[Source]) -> list[Source]:
    return [s for s in selected if s.derive is not None]


def _chosen(selected: list[Source]) -> list[tuple[int, Source]]:
    """The selected sources that paging reads, with their place in the sources' order."""
    order = _source_order()
    return [(order[s.kind], s) for s in selected if s.query is not None]


def _item_from(ctx: SourceContext, found: tuple[Any, ...]) -> Item:
    kind, obj, person, due, a, b, shown_on, state, moved_to, reason = found
    source = source_for(kind)
    assert source is not None
    assert source.row is not None
    row = source.row(ctx, (obj, person, due, a, b))
    moved = Mark(state, as_date(moved_to), reason) if state is not None else None
    return Item(row=row, due_on=as_date(shown_on), moved=moved)


def _count_key(user: User, today: dt.date) -> str:
    return f"worklist:count:{user.pk}:{today.isoformat()}"


def worklist_count(*, viewer: User, today: dt.date | None = None, cached: bool = True) -> int:
    """How many items wait for the viewer's unit (for the menu and the daily e-mail), counted in
    the database."""
    today = today or timezone.localdate()
    if not cached:
        return _count(viewer, today)
    key = _count_key(viewer, today)
    count = cache.get(key)
    if count is None:
        count = _count(viewer, today)
        cache.set(key, count, COUNT_SECONDS)
    return int(count)


def _count(viewer: User, today: dt.date) -> int:
    ctx = source_context(viewer=viewer, today=today)
    if ctx is None:
        return 0
    selected = sources()
    derived = _items_in_python(viewer, ctx, _derived(list(selected)), None, compiled.reader(ctx))
    return len(derived) + paging.count(viewer=viewer, ctx=ctx, chosen=_chosen(list(selected)), since=_since())


def worklist_count_forget(*, viewer: User) -> None:
    cache.delete(_count_key(viewer, timezone.localdate()))


PAGE_SIZE = 50


@dataclass(frozen=True)
class WorklistPage:
    items: list[Item]
    total: int
    today: dt.date
    kinds: list[tuple[str, str]]
    may_mark: bool
    page: int = 1
    pages: int = 1
    person: ScopedPerson | None = None  # the person filtered on, when shown


def may_mark(viewer: User) -> bool:
    """Marking is part of the work: the roles that may change a person's record (not bob, pia)."""
    return bool(viewer.can_write and viewer.role in ROLES_THAT_WRITE and may_see_persons(viewer))


def worklist_page(
    *,
    viewer: User,
    ctx: AccessContext,
    kind: str | None = None,
    person_id: uuid.UUID | None = None,
    page: int = 1,
    per_page: int = PAGE_SIZE,
    today: dt.date | None = None,
) -> WorklistPage:
    """One page of the to-do list: items with their persons, each person shown logged once.

    Only the persons of the page are loaded and logged (a unit's list may hold thousands of
    items). A person the access check no longer admits is left out with their items.
    """
    today = today or timezone.localdate()
    sources_ctx = source_context(viewer=viewer, today=today)
    page = max(page, 1)
    window: list[Item] = []
    total = 0
    if sources_ctx is not None:
        window, total = _window(viewer, sources_ctx, kind, person_id, (page - 1) * per_page, per_page)
    pages = max(1, -(-total // per_page))
    if page > pages:  # past the end: the last page
        page = pages
        if sources_ctx is not None and total:
            window, total = _window(viewer, sources_ctx, kind, person_id, (page - 1) * per_page, per_page)
    persons = _persons({i.row.person_key for i in window})
    shown = scope_for(ctx, "worklist").shown(persons, action="worklist.viewed") if persons else []
    # By the rows' hex keys: a UUID made for each of the page's rows cost more than the lookup.
    by_key = {s.person.pk.hex: s for s in shown}
    return WorklistPage(
        items=[
            Item(row=i.row, due_on=i.due_on, moved=i.moved, person=by_key[i.row.person_key])
            for i in window
            if i.row.person_key in by_key
        ],
        total=total,
        today=today,
        kinds=[(s.kind, str(s.label)) for s in sources()],
        may_mark=may_mark(viewer),
        page=page,
        pages=pages,
        person=by_key.get(person_id.hex) if person_id is not None else None,
    )


def _persons(keys: set[str]) -> list[Person]:
    """The persons with these keys (hex), as Person.objects.filter(pk__in=…) gives them
    (common.sql.fetch_instances: the ORM's queryset cost more than the query)."""
    if not keys:
        return []
    ids = [uuid.UUID(hex=key) for key in keys]
    where = f"{sql.column(Person, 'id')} IN ({sql.placeholders(len(ids))})"
    return sql.fetch_instances(Person, where, sql.values(Person, "id", ids))


def item_find(*, viewer: User, kind: str, object_id: uuid.UUID, today: dt.date | None = None) -> Item | None:
    """The open item (kind, object) on the viewer's list, or None (also for another unit's)."""
    if source_for(kind) is None:
        return None
    key = object_id.hex
    return next((i for i in open_items(viewer=viewer, today=today, kind=kind) if i.row.object_key == key), None)


def item_mark_get(*, viewer: User, item: Item) -> ItemMark | None:
    """The stored mark of an item on the viewer's list (the unit's), or None."""
    if viewer.unit_id is None:
        return None
    return ItemMark.objects.filter(kind=item.row.kind, object_id=item.row.object_id, unit_id=viewer.unit_id).first()
