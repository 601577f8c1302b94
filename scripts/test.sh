#!/usr/bin/env bash
# The one test command: type check, lint, then every test file under test/ on Node's test runner.
# Tests run real components (models, SQLite, PostgreSQL, Chromium); see README "Tests".
set -euo pipefail
cd "$(dirname "$0")/.."
npx tsc --noEmit
npx eslint .
mapfile -t files < <(find test -name '*.test.ts' | sort)
if [ "${#files[@]}" -eq 0 ]; then echo "no test files found" >&2; exit 1; fi
# One file at a time: model-loading suites each take a few hundred MB and both cores.
# A hung test fails after 10 minutes instead of stalling CI.
exec node --import tsx --test --test-concurrency=1 --test-timeout=600000 "${files[@]}"
