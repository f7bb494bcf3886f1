#!/usr/bin/env bash
# `make check`: no model change lacks a migration, and every translation file compiles.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${VENV:-.venv}/bin/python"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "== makemigrations --check --dry-run"
# A throwaway SQLite file: the check never touches var/vagval.sqlite3 or a configured database.
DATABASE_URL="sqlite:///$tmp/check.sqlite3" "$PY" manage.py makemigrations --check --dry-run

echo "== compilemessages"
# compilemessages walks the whole tree for locale/ directories: keep it out of .venv and var/.
mkdir -p vagval/locale
"$PY" manage.py compilemessages --ignore=.venv --ignore=var --ignore=build --ignore=node_modules
po_count="$(find vagval -name '*.po' -path '*/LC_MESSAGES/*' | wc -l)"
echo "compiled $po_count translation file(s)"
