#!/usr/bin/env bash
# The whole test suite, as `make test` runs it:
#   1. pytest on SQLite (browser tests deselected)
#   2. the same suite on a throwaway PostgreSQL 15 (scripts/with-postgres.sh)
#   3. the browser tests (Playwright with Debian's Chromium, axe on every page)
# Without PostgreSQL or Chromium, phases 2 and 3 are skipped with one line each;
# with CI=true nothing may be skipped. Every phase runs; the exit code is non-zero if any failed.
# Extra arguments are passed to every pytest run (e.g. scripts/test.sh -x -k login).
set -uo pipefail
cd "$(dirname "$0")/.."

VENV="${VENV:-.venv}"
PYTEST="$VENV/bin/pytest"
PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
CHROMIUM="${VAGVAL_CHROMIUM:-/usr/bin/chromium}"
# pytest-xdist workers for the SQLite and PostgreSQL runs ("0" = no xdist).
WORKERS="${PYTEST_WORKERS:-2}"
# A phase that runs longer than this (seconds) is stopped and counts as failed.
PHASE_TIMEOUT="${PHASE_TIMEOUT:-900}"
ONLY="${TEST_PHASES:-sqlite postgres browser}"

is_ci() { [ "${CI:-}" = "true" ] || [ "${CI:-}" = "1" ]; }

xdist_args=()
if [ "$WORKERS" != "0" ]; then
    xdist_args=(-n "$WORKERS")
fi

failed=()
summary=()

# run_phase NAME CMD... : time a phase, record its result. pytest's exit code 5 (no tests
# collected) is a failure like any other non-zero code.
run_phase() {
    local name="$1"
    shift
    echo
    echo "----- test phase: $name -----"
    local start=$SECONDS
    timeout --kill-after=30 "$PHASE_TIMEOUT" "$@"
    local status=$?
    local took=$((SECONDS - start))
    local result="ok"
    case "$status" in
        0) ;;
        5) result="FAILED (no tests collected)" ;;
        124) result="FAILED (timed out after ${PHASE_TIMEOUT}s)" ;;
        *) result="FAILED (exit $status)" ;;
    esac
    if [ "$status" -ne 0 ]; then
        failed+=("$name")
    fi
    summary+=("$(printf '%-12s %5ss  %s' "$name" "$took" "$result")")
}

skip_phase() {
    local name="$1" message="$2"
    if is_ci; then
        echo "ERROR: $message — CI=true, so this phase may not be skipped"
        failed+=("$name")
        summary+=("$(printf '%-12s %5s   %s' "$name" "-" "FAILED (missing requirement)")")
    else
        echo "SKIPPED: $message"
        summary+=("$(printf '%-12s %5s   %s' "$name" "-" "skipped")")
    fi
}

for phase in $ONLY; do
    case "$phase" in
        sqlite)
            run_phase sqlite env -u DATABASE_URL "$PYTEST" -m "not browser" "${xdist_args[@]}" "$@"
            ;;
        postgres)
            if [ -x "$PG_BIN/initdb" ]; then
                run_phase postgres scripts/with-postgres.sh "$PYTEST" -m "not browser" "${xdist_args[@]}" "$@"
            else
                skip_phase postgres "PostgreSQL tests (install postgresql-15 to enable)"
            fi
            ;;
        browser)
            if [ -x "$CHROMIUM" ]; then
                run_phase browser env -u DATABASE_URL "$PYTEST" -m browser tests/browser "$@"
            else
                skip_phase browser "browser tests (apt-get install chromium to enable)"
            fi
            ;;
        *)
            echo "unknown test phase: $phase" >&2
            exit 2
            ;;
    esac
done

echo
echo "----- test summary -----"
printf '%s\n' "${summary[@]}"
if [ "${#failed[@]}" -ne 0 ]; then
    echo "FAILED phases: ${failed[*]}"
    exit 1
fi
