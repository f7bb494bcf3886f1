#!/usr/bin/env bash
# `make bench`: print the benchmark figures (ratios, not timed tests).
# Runs benchmarks/run.py if it exists, else every benchmarks/bench_*.py in turn.
# Extra arguments are passed on (e.g. scripts/bench.sh --persons 300000).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${VENV:-.venv}/bin/python"

if [ -f benchmarks/run.py ]; then
    exec "$PY" benchmarks/run.py "$@"
fi
shopt -s nullglob
scripts=(benchmarks/bench_*.py)
if [ "${#scripts[@]}" -eq 0 ]; then
    echo "no benchmarks yet (benchmarks/run.py or benchmarks/bench_*.py)" >&2
    exit 1
fi
for script in "${scripts[@]}"; do
    echo "== $script"
    case "$script" in
        # The solver benchmarks (issue 11) need no database and have their own sizes
        # (--persons/--offers, defaults as the issue says): the extra arguments are meant for
        # the database benchmarks, so they are not passed on.
        benchmarks/bench_matcha*) "$PY" "$script" ;;
        *) "$PY" "$script" "$@" ;;
    esac
done
