"""Every model with a foreign key to a person record is a declared kind of record: the register
extract walks records.KINDS and retention removes through it, so a new model that is not
declared would be left out of both."""

from django.apps import apps

from vagval.dataprotection import records


def test_every_model_with_a_person_foreign_key_is_declared():
    with_person = {
        m._meta.label for m in apps.get_models() if records.person_fields(m) and m._meta.label != records.PERSON
    }
    declared = {k.label for k in records.KINDS}
    assert sorted(with_person - declared) == [], "declare these in vagval/dataprotection/records.py"
    assert sorted(declared - with_person) == []


def test_the_person_record_itself_is_the_extracts_first_section_and_refers_only_to_itself():
    # Person.merged_into is the only person foreign key on the person model: merged records share
    # the identity number, so the extract finds them by number.
    assert records.person_fields(apps.get_model(records.PERSON)) == ["merged_into"]


def test_every_kind_has_a_person_field_named_person_and_a_date_it_was_last_written():
    for kind in records.KINDS:
        assert "person" in records.person_fields(kind.model), kind.label
        kind.model._meta.get_field(kind.changed)


def test_the_deletion_order_puts_each_row_before_what_it_refers_to():
    order = records.deletion_order()
    assert sorted(order) == sorted(k.label for k in records.KINDS)
    before = order.index
    assert before("catalogue.Placement") < before("plans.Plan")
    assert before("referrals.Referral") < before("consent.Consent")
    assert before("followup.FollowUp") < before("followup.Exit") < before("people.Enrolment")
    assert before("assessments.Response") < before("assessments.AssessmentLink")
