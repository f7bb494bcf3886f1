"""Importing costs: the good rows are kept, replacing months asks first, the same file twice
changes nothing, and the latest import can be undone."""

import datetime as dt
from decimal import Decimal

import pytest

from conftest import ctx_for
from vagval.audit.models import AccessLogEntry
from vagval.budget import services
from vagval.budget.importing import parse_costs
from vagval.budget.models import Cost, CostImport, CostSource
from vagval.common.errors import Conflict, InvalidInput, NotFound, PermissionDenied

JAN, FEB = dt.date(2025, 1, 1), dt.date(2025, 2, 1)
FILE = "månad;kostnadstyp;belopp\n2025-01;personal;1000\n2025-01;resor;200\n2025-02;personal;300\nfel;resor;1\n"


def _costs(project):
    return sorted((c.month, c.cost_type, c.amount) for c in Cost.objects.filter(project=project))


def _import(user, project, text=FILE, confirmed=False):
    return services.cost_import(
        ctx=ctx_for(user), project=project, file_name="ekonomi.csv", parsed=parse_costs(text), confirmed=confirmed
    )


def test_the_good_rows_are_stored_and_the_bad_counted(pia, project):
    record = _import(pia, project)
    assert (record.rows_accepted, record.rows_rejected) == (3, 1)
    assert _costs(project) == [
        (JAN, "personal", Decimal("1000.00")),
        (JAN, "resor", Decimal("200.00")),
        (FEB, "personal", Decimal("300.00")),
    ]
    assert set(Cost.objects.values_list("source", flat=True)) == {CostSource.IMPORT}
    entry = AccessLogEntry.objects.get(action="cost.imported")
    assert (entry.person_id, entry.detail["months"], entry.detail["rejected"]) == (None, ["2025-01", "2025-02"], 1)


def test_replacing_a_month_asks_first_and_the_same_file_twice_changes_nothing(pia, project):
    _import(pia, project)
    before = _costs(project)
    with pytest.raises(services.NeedsConfirmation) as asked:
        _import(pia, project)
    assert asked.value.months == [JAN, FEB]
    _import(pia, project, confirmed=True)
    assert _costs(project) == before


def test_an_import_replaces_whole_months(pia, project):
    _import(pia, project)
    _import(pia, project, "månad;kostnadstyp;belopp\n2025-01;lokaler;50\n", confirmed=True)
    assert _costs(project) == [(JAN, "lokaler", Decimal("50.00")), (FEB, "personal", Decimal("300.00"))]


def test_undo_puts_back_what_the_import_replaced(pia, project):
    services.cost_month_save(ctx=ctx_for(pia), project=project, month=JAN, amounts={"personal": Decimal("900")})
    by_hand = _costs(project)
    record = _import(pia, project, confirmed=True)
    services.cost_import_undo(ctx=ctx_for(pia), cost_import=record)
    assert _costs(project) == by_hand
    assert CostImport.objects.get(pk=record.pk).undone_at is not None
    with pytest.raises(Conflict):
        services.cost_import_undo(ctx=ctx_for(pia), cost_import=record)


def test_undo_is_refused_after_a_month_was_changed_by_hand(pia, project):
    record = _import(pia, project)
    services.cost_month_save(ctx=ctx_for(pia), project=project, month=FEB, amounts={"personal": Decimal("350")})
    with pytest.raises(Conflict):
        services.cost_import_undo(ctx=ctx_for(pia), cost_import=record)
    assert (FEB, "personal", Decimal("350.00")) in _costs(project)


def test_only_an_older_import_cannot_be_undone(pia, project):
    first = _import(pia, project, "månad;kostnadstyp;belopp\n2025-01;lokaler;50\n")
    _import(pia, project, "månad;kostnadstyp;belopp\n2025-03;lokaler;70\n")
    with pytest.raises(Conflict):
        services.cost_import_undo(ctx=ctx_for(pia), cost_import=first)


def test_a_file_with_nothing_to_read_is_refused(pia, project):
    with pytest.raises(InvalidInput):
        _import(pia, project, "2025-01;personal;1000\n")
    assert not CostImport.objects.exists()


def test_only_the_projects_writing_leaders_import(pia, alice, project):
    with pytest.raises(NotFound):
        _import(alice, project)
    pia.read_only = True
    pia.save()
    with pytest.raises(PermissionDenied):
        _import(pia, project)


def test_a_stale_month_form_is_refused(pia, project):
    from vagval.budget.selectors import month_version

    seen = month_version(project=project, month=JAN)
    services.cost_month_save(ctx=ctx_for(pia), project=project, month=JAN, amounts={"personal": Decimal("1")})
    with pytest.raises(Conflict):
        services.cost_month_save(
            ctx=ctx_for(pia), project=project, month=JAN, amounts={"personal": Decimal("2")}, expected_version=seen
        )
