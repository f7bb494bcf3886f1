import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from conftest import client_for
from vagval.accounts.models import Role
from vagval.accounts.tests.factories import UserFactory
from vagval.accounts.tests.helpers import verified_admin_client
from vagval.audit.models import AccessLogEntry
from vagval.common.tests.edit_versions import shown_version
from vagval.targetgroup.models import Episode, TargetGroupSetting
from vagval.targetgroup.services import target_group_setting_version
from vagval.targetgroup.tests.conftest import in_register, young

URL = reverse("targetgroup:settings")


def test_karin_sees_the_defaults_with_help_text(karin_client):
    html = karin_client.get(URL).content.decode()
    assert "Ludvika" in html
    assert "introduktionsprogram" in html
    assert 'value="5"' in html


def test_karin_changes_her_municipalitys_setting(karin, karin_client, ludvika_kaa_unit):
    response = karin_client.post(URL, {"first_contact_workdays": "3", "version": shown_version(karin_client.get(URL))})
    assert response.status_code == 302
    setting = TargetGroupSetting.objects.get(municipality=ludvika_kaa_unit.organisation.municipality)
    assert (setting.im_ends_kaa, setting.first_contact_workdays) == (False, 3)
    assert AccessLogEntry.objects.filter(action="targetgroup.settings_changed", user=karin).count() == 1


def test_a_bad_value_gives_a_swedish_error_and_changes_nothing(karin_client):
    response = karin_client.post(URL, {"im_ends_kaa": "on", "first_contact_workdays": "900"})
    assert response.status_code == 400
    assert "60" in response.content.decode()
    assert not TargetGroupSetting.objects.exists()


def test_sven_changes_only_smedjebacken(sven, karin, ludvika_kaa_unit):
    sven_client = client_for(sven)
    version = shown_version(sven_client.get(URL))
    sven_client.post(URL + "?kommun=2085", {"first_contact_workdays": "2", "version": version})
    assert TargetGroupSetting.objects.get().municipality.code == "2061"


def test_a_stale_setting_save_shows_both_versions_and_keeps_the_first_change(karin, karin_client, ludvika_kaa_unit):
    colleague = client_for(UserFactory(username="kollega", unit=ludvika_kaa_unit, role=Role.KAA))
    first_version = shown_version(karin_client.get(URL))
    second_version = shown_version(colleague.get(URL))
    first = karin_client.post(URL, {"first_contact_workdays": "3", "version": first_version})
    assert first.status_code == 302

    second = colleague.post(URL, {"first_contact_workdays": "10", "version": second_version})

    assert second.status_code == 409
    page = second.content.decode()
    assert "Ändringen sparades inte" in page
    assert "<td>10</td>" in page
    assert "<td>3</td>" in page
    assert TargetGroupSetting.objects.get().first_contact_workdays == 3


@pytest.mark.parametrize("persona", ["alice", "charlie", "erik"])
def test_coaches_and_evaluators_get_403(db, persona, request):
    assert client_for(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_a_read_only_kaa_user_sees_but_cannot_change(ludvika_kaa_unit):
    reader = client_for(UserFactory(username="rut", unit=ludvika_kaa_unit, role=Role.KAA, read_only=True))
    assert "endast läsbehörighet" in reader.get(URL).content.decode()
    version = target_group_setting_version(
        setting=TargetGroupSetting(municipality=ludvika_kaa_unit.organisation.municipality)
    )
    assert reader.post(URL, {"first_contact_workdays": "3", "version": version}).status_code == 403
    # Refused as a reader before the form is read: an empty or invalid form is a 403 too, not a 400.
    assert reader.post(URL, {}).status_code == 403
    assert not TargetGroupSetting.objects.exists()


def test_the_administrator_chooses_a_municipality(dana):
    client = verified_admin_client(dana)
    assert 'name="kommun"' in client.get(URL).content.decode()
    version = shown_version(client.get(URL + "?kommun=2061"))
    assert client.post(URL + "?kommun=2061", {"first_contact_workdays": "4", "version": version}).status_code == 302
    assert TargetGroupSetting.objects.get(municipality_id="2061").first_contact_workdays == 4
    assert client.get(URL + "?kommun=9999").status_code == 404


def test_the_command_computes_the_list_on_a_date(karin, ludvika_kaa_unit):
    in_register(ludvika_kaa_unit, karin, young(dt.date(2009, 3, 1)))
    out = io.StringIO()
    call_command("target_group_refresh", "--kommun", "2085", "--datum", "2026-09-01", stdout=out)
    assert "1 nya perioder" in out.getvalue()
    assert Episode.objects.get().opened_on == dt.date(2026, 9, 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [(["--kommun", "0000"], "Okänd kommunkod"), (["--kommun", "2085", "--datum", "1 maj"], "Ogiltigt datum")],
)
def test_the_command_rejects_bad_input(args, message, ludvika_kaa_unit):
    with pytest.raises(CommandError, match=message):
        call_command("target_group_refresh", *args)


def test_the_command_says_when_there_is_no_register(ludvika_kaa_unit):
    with pytest.raises(CommandError, match="inget register"):
        call_command("target_group_refresh", "--kommun", "2085")


def test_without_a_municipality_the_command_computes_every_register(
    karin, sven, ludvika_kaa_unit, smedjebacken_kaa_unit
):
    in_register(ludvika_kaa_unit, karin, young(dt.date(2009, 3, 1)))
    in_register(smedjebacken_kaa_unit, sven, young(dt.date(2009, 4, 1)))
    out = io.StringIO()
    call_command("target_group_refresh", "--datum", "2026-09-01", stdout=out)
    assert set(Episode.objects.values_list("unit_id", flat=True)) == {ludvika_kaa_unit.pk, smedjebacken_kaa_unit.pk}
    assert out.getvalue().count("1 nya perioder") == 2


def test_the_administrator_picks_a_municipality_by_name_and_code(dana, ludvika_kaa_unit, smedjebacken_kaa_unit):
    html = verified_admin_client(dana).get(URL).content.decode()
    for municipality in (ludvika_kaa_unit.organisation.municipality, smedjebacken_kaa_unit.organisation.municipality):
        assert f'<option value="{municipality.code}">{municipality.name} ({municipality.code})</option>' in html
