"""The worklist's rows written by the worklist_rows tag are the markup the template loop wrote:
the same characters for never contacted, reached and over-target rows, contacts on either
side of midnight and in summer time, long lists of working days, and names to escape."""

import datetime as dt

from django.template import Context, Template
from django.utils import timezone

from conftest import ctx_for
from vagval.outreach import selectors
from vagval.outreach.models import Outcome
from vagval.outreach.templatetags.outreach_tags import worklist_rows
from vagval.outreach.tests.factories import contact, on_list, young_person

# The loop as it was in outreach/worklist.html before the tag.
LOOP = """{% load i18n %}  {% for row in worklist.rows %}
    <tr{% if row.over_target %} class="over-target"{% endif %}>
      <th scope="row"><a href="{% url 'people:detail' row.person.pk %}">{{ row.person.full_name }}</a>{% if row.over_target %} <strong class="tag">{% translate "Över målet" %}</strong>{% endif %}</th>
      <td>{{ row.episode.get_target_list_display }}</td>
      <td>{{ row.episode.open_reason }}</td>
      <td><time datetime="{{ row.episode.opened_on|date:'Y-m-d' }}">{{ row.episode.opened_on|date:"Y-m-d" }}</time></td>
      <td>{% if row.last_contact_at %}<time datetime="{{ row.last_contact_at|date:'c' }}">{{ row.last_contact_at|date:"Y-m-d" }}</time>, {{ row.last_outcome_label }}{% else %}{% translate "Aldrig kontaktad" %}{% endif %}</td>
      <td>{{ row.attempts }}</td>
      <td>{{ row.workdays_since_identified }}</td>
    </tr>
  {% endfor %}
"""  # noqa: E501


def test_the_tag_writes_what_the_template_loop_wrote(karin, ludvika_kaa_unit):
    unit = ludvika_kaa_unit
    on_list(unit, young_person(first_name="<Ada>", last_name="O'Hara & Co"), opened_on=dt.date(2021, 9, 1))
    on_list(unit, opened_on=dt.date(2026, 4, 16), open_reason='avbrott "GY" <EE>', target_list="uvas")
    reached = on_list(unit, opened_on=dt.date(2026, 3, 2))
    contact(reached, karin, on=dt.date(2026, 3, 3), outcome=Outcome.NOT_REACHED)
    contact(reached, karin, on=dt.date(2026, 3, 4), outcome=Outcome.REACHED)
    summer = on_list(unit, opened_on=dt.date(2026, 3, 30))
    moment = timezone.make_aware(dt.datetime(2026, 4, 14, 23, 30, 15, 123456))  # summer time, microseconds
    contact(summer, karin, on=moment.date(), outcome=Outcome.DECLINED, made_at=moment)
    midnight = on_list(unit, opened_on=dt.date(2026, 1, 12))
    contact(midnight, karin, on=dt.date(2026, 1, 20), made_at=dt.datetime(2026, 1, 20, 23, 30, tzinfo=dt.UTC))
    worklist = selectors.worklist(
        viewer=karin, ctx=ctx_for(karin), filters=selectors.WorklistFilters(), today=dt.date(2026, 4, 20)
    )
    assert len(worklist.rows) == 5
    assert {row.over_target for row in worklist.rows} == {True, False}
    assert any(row.workdays_since_identified > 999 for row in worklist.rows)
    looped = Template(LOOP).render(Context({"worklist": worklist}))
    tagged = Template("{% load outreach_tags %}  {% worklist_rows worklist.rows %}\n").render(
        Context({"worklist": worklist})
    )
    assert tagged == looped
    assert "O&#x27;Hara &amp; Co, &lt;Ada&gt;" in tagged or "&lt;Ada&gt; O&#x27;Hara &amp; Co" in tagged
    assert worklist_rows([]) == ""
