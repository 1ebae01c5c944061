#!/bin/sh
# `make lint` for tests/run.sh, which counts its "ok CHECK" and
# "not ok CHECK" lines like an end-to-end test's: one test per rule.
cd "$(dirname "$0")/.." && exec python3 scripts/lint.py
