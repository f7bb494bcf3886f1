import logging

from vagval.common.logging import RedactIdentityNumbers, redact


def test_it_scrubs_every_written_form_of_an_identity_number():
    for text in ["200503140014", "20050314-0014", "050314-0014", "050314+0014", "0503140014"]:
        assert "0014" not in redact(f"GET /x?q={text} failed")


def test_the_filter_rewrites_records_before_any_handler_sees_them():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: /sok/?q=%s", ("200503140014",), None
    )
    RedactIdentityNumbers().filter(record)
    assert "200503140014" not in record.getMessage()
    assert "[personnummer borttaget]" in record.getMessage()


def test_tracebacks_attached_to_a_record_are_scrubbed_too():
    try:
        raise ValueError("duplicate key value (id_number)=(200503140014)")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), sys.exc_info()
        )
    RedactIdentityNumbers().filter(record)
    assert record.exc_info is None
    assert "200503140014" not in record.getMessage()
    assert "ValueError" in record.getMessage()


def test_a_uuid_with_a_run_of_digits_is_kept_whole():
    # A person id logged by the target-group refresh: its last group ends in ten digits.
    person_id = "1b23b40c-84de-4152-90af-ba7551355330"
    assert redact(f"skipped: {person_id}") == f"skipped: {person_id}"
    all_digits = "12345678-1234-4234-8234-200001011234"
    assert redact(all_digits) == all_digits


def test_a_number_beside_a_uuid_is_still_removed():
    text = "person 1b23b40c-84de-4152-90af-ba7551355330 nummer 20000101-1234"
    assert redact(text) == "person 1b23b40c-84de-4152-90af-ba7551355330 nummer [personnummer borttaget]"
