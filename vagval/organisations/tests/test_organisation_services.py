import datetime as dt
import uuid

import pytest

from conftest import ctx_for
from vagval.audit.models import AccessBasis, AccessLogEntry
from vagval.common.errors import InvalidInput, PermissionDenied
from vagval.organisations import services
from vagval.organisations.models import Organisation, OrganisationKind, Project
from vagval.organisations.tests.factories import MethodFactory, OrganisationFactory, UnitFactory


def _organisation(**overrides):
    values = dict(name="Testby kommun", kind=OrganisationKind.MUNICIPALITY, municipality_code="2085")
    values.update(overrides)
    return services.OrganisationData(**values)


def _project(**overrides):
    values = dict(name="Nya vägar", starts_on=dt.date(2026, 1, 1))
    values.update(overrides)
    return services.ProjectData(**values)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("556677-8899", "556677-8899"), ("5566778899", "556677-8899"), (" 212000-2163 ", "212000-2163")],
)
def test_a_valid_organisation_number_is_normalised_with_a_hyphen(text, expected):
    assert services.normalise_organisation_number(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("556677-889", "tio siffror"),
        ("55667788990", "tio siffror"),
        ("556677/8899", "tio siffror"),
        ("556677-8898", "kontrollsiffran"),
        ("050314-0014", "personnummer"),
    ],
)
def test_an_invalid_organisation_number_gets_a_swedish_reason(text, message):
    with pytest.raises(services.InvalidOrganisationNumber) as err:
        services.normalise_organisation_number(text)
    assert message in str(err.value)


def test_admin_creates_an_organisation_with_an_access_log_entry(dana):
    organisation = services.organisation_create(ctx=ctx_for(dana), data=_organisation(organisation_number="5566778899"))
    assert organisation.municipality_id == "2085"
    assert organisation.organisation_number == "556677-8899"
    entry = AccessLogEntry.objects.get()
    assert entry.action == "organisation.created"
    assert entry.basis == AccessBasis.ADMINISTRATION
    assert entry.person_id is None
    assert entry.username == "dana"
    assert entry.detail == {"organisation": str(organisation.pk), "name": "Testby kommun"}


def test_a_duplicate_organisation_name_is_refused_whatever_the_case(dana):
    OrganisationFactory(name="Testby kommun")
    with pytest.raises(InvalidInput) as err:
        services.organisation_create(ctx=ctx_for(dana), data=_organisation(name="testby KOMMUN"))
    assert err.value.field_errors["name"] == ["Det finns redan en organisation med det namnet."]
    assert not AccessLogEntry.objects.exists()


def test_a_municipality_must_name_its_municipality(dana):
    with pytest.raises(InvalidInput) as err:
        services.organisation_create(ctx=ctx_for(dana), data=_organisation(municipality_code=""))
    assert err.value.field_errors["municipality_code"] == ["Välj vilken kommun det är."]


def test_an_agency_needs_no_municipality(dana):
    organisation = services.organisation_create(
        ctx=ctx_for(dana),
        data=_organisation(name="Arbetsförmedlingen", kind=OrganisationKind.EMPLOYMENT_SERVICE, municipality_code=""),
    )
    assert organisation.municipality is None


def test_an_invalid_organisation_number_is_a_field_error(dana):
    with pytest.raises(InvalidInput) as err:
        services.organisation_create(ctx=ctx_for(dana), data=_organisation(organisation_number="556677-8898"))
    assert "kontrollsiffran" in err.value.field_errors["organisation_number"][0]
    assert not Organisation.objects.filter(name="Testby kommun").exists()


def test_update_logs_the_changed_fields_and_nothing_when_unchanged(dana):
    organisation = services.organisation_create(ctx=ctx_for(dana), data=_organisation())
    services.organisation_update(ctx=ctx_for(dana), organisation=organisation, data=_organisation())
    assert AccessLogEntry.objects.count() == 1
    services.organisation_update(
        ctx=ctx_for(dana), organisation=organisation, data=_organisation(name="Testby kommun, Nya")
    )
    entry = AccessLogEntry.objects.get(action="organisation.changed")
    assert entry.detail["fields"] == ["name"]
    assert entry.detail["name"] == "Testby kommun, Nya"


def test_an_organisation_may_keep_its_own_name_on_update(dana):
    organisation = services.organisation_create(ctx=ctx_for(dana), data=_organisation())
    updated = services.organisation_update(
        ctx=ctx_for(dana), organisation=organisation, data=_organisation(organisation_number="556677-8899")
    )
    assert updated.organisation_number == "556677-8899"


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "erik"])
def test_only_administrators_may_write(persona, request, ludvika_unit):
    user = request.getfixturevalue(persona)
    ctx = ctx_for(user)
    with pytest.raises(PermissionDenied):
        services.organisation_create(ctx=ctx, data=_organisation())
    with pytest.raises(PermissionDenied):
        services.unit_create(ctx=ctx, organisation=ludvika_unit.organisation, data=services.UnitData(name="X"))
    with pytest.raises(PermissionDenied):
        services.project_create(ctx=ctx, data=_project())
    with pytest.raises(PermissionDenied):
        services.method_create(ctx=ctx, data=services.MethodData(name="X"))
    assert not AccessLogEntry.objects.exists()


def test_admin_creates_and_updates_a_unit(dana, ludvika_unit):
    organisation = ludvika_unit.organisation
    unit = services.unit_create(
        ctx=ctx_for(dana),
        organisation=organisation,
        data=services.UnitData(name="Socialtjänsten", phone="0240-860 00", email="ifo@example.se"),
    )
    assert unit.organisation == organisation
    assert unit.active
    services.unit_update(ctx=ctx_for(dana), unit=unit, data=services.UnitData(name="Socialtjänsten", active=False))
    unit.refresh_from_db()
    assert not unit.active
    assert unit.phone == ""
    assert list(AccessLogEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "unit.created",
        "unit.changed",
    ]
    assert AccessLogEntry.objects.get(action="unit.changed").detail["fields"] == ["active", "email", "phone"]


def test_unit_names_are_unique_within_an_organisation_only(dana, ludvika_unit, smedjebacken_unit):
    with pytest.raises(InvalidInput) as err:
        services.unit_create(
            ctx=ctx_for(dana),
            organisation=ludvika_unit.organisation,
            data=services.UnitData(name="arbetsmarknadsenheten"),
        )
    assert err.value.field_errors["name"] == ["Organisationen har redan en enhet med det namnet."]
    other = UnitFactory(organisation=smedjebacken_unit.organisation, name="Socialtjänsten")
    services.unit_create(
        ctx=ctx_for(dana), organisation=ludvika_unit.organisation, data=services.UnitData(name=other.name)
    )


def test_unit_contact_details_are_checked(dana, ludvika_unit):
    with pytest.raises(InvalidInput) as err:
        services.unit_create(
            ctx=ctx_for(dana),
            organisation=ludvika_unit.organisation,
            data=services.UnitData(name="IFO", phone="ring mig", email="inte-en-adress"),
        )
    assert err.value.field_errors["email"] == ["Ange en giltig e-postadress."]
    assert "telefonnummer" in err.value.field_errors["phone"][0]


def test_admin_creates_a_project_with_organisations_and_methods(dana, ludvika_unit, smedjebacken_unit):
    method = MethodFactory(name="Gnestamodellen")
    organisations = [ludvika_unit.organisation.pk, smedjebacken_unit.organisation.pk]
    project = services.project_create(
        ctx=ctx_for(dana),
        data=_project(
            ends_on=dt.date(2027, 12, 31),
            target_participants=120,
            organisation_ids=organisations,
            method_ids=[method.pk],
        ),
    )
    assert set(project.organisations.values_list("pk", flat=True)) == set(organisations)
    assert list(project.methods.all()) == [method]
    entry = AccessLogEntry.objects.get()
    assert (entry.action, entry.detail["name"]) == ("project.created", "Nya vägar")


def test_a_project_cannot_end_before_it_starts(dana):
    with pytest.raises(InvalidInput) as err:
        services.project_create(ctx=ctx_for(dana), data=_project(ends_on=dt.date(2025, 12, 31)))
    assert err.value.field_errors["ends_on"] == ["Slutdatum kan inte vara före startdatum."]
    assert not Project.objects.exists()


def test_a_project_may_start_and_end_the_same_day(dana):
    project = services.project_create(ctx=ctx_for(dana), data=_project(ends_on=dt.date(2026, 1, 1)))
    assert project.ends_on == project.starts_on


def test_project_update_logs_changed_members(dana, ludvika_unit):
    project = services.project_create(ctx=ctx_for(dana), data=_project())
    services.project_update(
        ctx=ctx_for(dana), project=project, data=_project(organisation_ids=[ludvika_unit.organisation.pk])
    )
    entry = AccessLogEntry.objects.get(action="project.changed")
    assert entry.detail["fields"] == ["organisations"]
    assert list(project.organisations.all()) == [ludvika_unit.organisation]


def test_a_duplicate_project_name_is_refused(dana, project):
    with pytest.raises(InvalidInput) as err:
        services.project_create(ctx=ctx_for(dana), data=_project(name=project.name.upper()))
    assert err.value.field_errors["name"] == ["Det finns redan ett projekt med det namnet."]


def test_unknown_project_members_are_refused(dana):
    with pytest.raises(InvalidInput) as err:
        services.project_create(ctx=ctx_for(dana), data=_project(organisation_ids=[uuid.uuid4()]))
    assert err.value.field_errors["organisation_ids"] == ["En vald organisation finns inte."]


def test_admin_creates_and_renames_a_method(dana):
    method = services.method_create(ctx=ctx_for(dana), data=services.MethodData(name="ACT"))
    services.method_update(
        ctx=ctx_for(dana), method=method, data=services.MethodData(name="ACT", description="Acceptans")
    )
    assert list(AccessLogEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "method.created",
        "method.changed",
    ]
    with pytest.raises(InvalidInput) as err:
        services.method_create(ctx=ctx_for(dana), data=services.MethodData(name="act"))
    assert err.value.field_errors["name"] == ["Det finns redan en metod med det namnet."]


def test_an_empty_name_is_refused(dana):
    with pytest.raises(InvalidInput) as err:
        services.method_create(ctx=ctx_for(dana), data=services.MethodData(name="   "))
    assert err.value.field_errors["name"] == ["Ange ett namn."]
