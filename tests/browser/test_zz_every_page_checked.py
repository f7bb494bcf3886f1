"""Every page of the product has been through axe in this browser session (the floor: axe-core
runs against every page). Named test_zz_… so that it runs after the other browser modules.

A URL name that is not a page a person reads (a POST-only action, a download, a JSON or
health endpoint, a redirect) is listed in NOT_A_PAGE with the reason; every other URL name must
have been checked by `assert_accessible` (through `visit_and_check`/`assert_page_ok`) by some test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import AXE_CHECKED
from tests.permissions.test_every_url import url_names

pytestmark = pytest.mark.browser

POST = "an action (POST only): it answers with a redirect or an htmx fragment of a page checked elsewhere"
FRAGMENT = "the progress part of a page (htmx asks for it while an import or export runs)"
REDIRECT = "a redirect only (to the start page or the login page)"
DOWNLOAD = "a download (PDF, CSV, XLSX or a file), not an HTML page"
NOT_A_PAGE = {
    "accounts:api_token_revoke": POST,
    "accounts:logout": POST,
    "accounts:two_factor_disable": POST,
    "accounts:user_api_token_revoke": POST,
    "accounts:user_project_role_add": POST,
    "accounts:user_project_role_remove": POST,
    "accounts:user_two_factor_reset": POST,
    "api-index": "the API's root (JSON), not a page",
    "api-not-found": "the API's 404 (JSON)",
    "assessments:link_create": POST,
    "assessments:link_revoke": POST,
    "audit:log_export": DOWNLOAD,
    "budget:import_undo": POST,
    "catalogue:offer_link_revoke": POST,
    "catalogue:offer_status": POST,
    "catalogue:placement_assessment_schedule": POST,
    "catalogue:placement_assessment_send": POST,
    "catalogue:placement_status": POST,
    "consent:document": DOWNLOAD,
    "dataprotection:dry_run": POST,
    "dataprotection:hold_lift": POST,
    "dataprotection:review_approve": POST,
    "esf:report_csv": DOWNLOAD,
    "esf:report_xlsx": DOWNLOAD,
    "esf:scb_file": DOWNLOAD,
    "evaluation:export_create": POST,
    "evaluation:export_decide": POST,
    "evaluation:export_download": DOWNLOAD,
    "evaluation:export_progress": FRAGMENT,
    "evaluation:survey_create": POST,
    "evaluation:survey_links": POST,
    "followup:attempt": POST,
    "followup:confirm": POST,
    "followup:not_reached": POST,
    "health:live": "the health check for the service manager (plain text)",
    "health:ready": "the health check for the service manager (plain text)",
    "home": REDIRECT,
    "matching:demand_export": DOWNLOAD,
    "matching:intake_confirm": POST,
    "matching:intake_pair": POST,
    "matching:intake_solve": POST,
    "matching:propose": POST,
    "matching:rank": POST,
    "matching:reject": POST,
    "people:export": DOWNLOAD,
    "people:search_results": "the as-you-type hit list (an htmx fragment of people:search)",
    "plans:pdf": DOWNLOAD,
    "plans:plan_create": POST,
    "registers:cancel": POST,
    "registers:progress": FRAGMENT,
    "registers:rejected": DOWNLOAD,
    "reporting:steering_pdf": DOWNLOAD,
    "reporting:steering_xlsx": DOWNLOAD,
    "set_language": POST,
    "sso:identity_add": POST,
    "sso:identity_remove": POST,
    "sso:oidc_callback": "the identity provider's return: it signs in and redirects",
    "sso:saml_acs": "the identity provider's POST back: it signs in and redirects",
    "sso:saml_logout_done": REDIRECT,
    "sso:saml_metadata": "the SAML metadata (XML) for the identity provider",
    "sso:start": "starts a sign-in: redirects to the identity provider",
    "targets:remove": POST,
    "worklist:notification_open": "marks a notification read and redirects to what it is about",
    "worklist:own_view_revoke": POST,
    "worklist:notifications_read_all": POST,
}


def _whole_browser_suite_ran(session: pytest.Session) -> bool:
    modules = {Path(str(item.fspath)).name for item in session.items}
    wanted = {path.name for path in Path(__file__).parent.glob("test_pages*.py")}
    return wanted <= modules


def test_every_page_has_been_through_axe(request):
    if not _whole_browser_suite_ran(request.session):
        pytest.skip("checks the whole browser suite's pages: runs only when every test_pages*.py ran too")
    pages = {name for name in url_names() if not name.startswith("api:")} - set(NOT_A_PAGE)
    unchecked = sorted(pages - AXE_CHECKED)
    assert unchecked == [], (
        f"pages no browser test has checked with axe: {unchecked}; visit each with visit_and_check "
        "in tests/browser/, or add it to NOT_A_PAGE with the reason it is not a page"
    )


def test_not_a_page_names_only_what_exists():
    assert sorted(set(NOT_A_PAGE) - set(url_names())) == []
