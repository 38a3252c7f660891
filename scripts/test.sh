#!/usr/bin/env bash
# The project's test command (README, and .ci/run): installs what the tests need, then runs them.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e '.[test]'

# Real-browser tests drive Debian's chromium + chromedriver (nothing is downloaded at run time).
if ! command -v chromedriver >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium and chromium-driver for the browser tests…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) >/dev/null \
      || echo "warning: could not install chromium; browser tests will be skipped"
  else
    echo "warning: chromium/chromedriver not found; browser tests will be skipped"
  fi
fi

.venv/bin/ruff check .
set +e
.venv/bin/python -m pytest -q "$@"
code=$?
set -e
# pytest exits 5 when a selection collects no test: that is not a failure of the code.
if [ "$code" = 5 ]; then
  echo "no tests collected for this selection"
  exit 0
fi
exit "$code"
