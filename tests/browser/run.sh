#!/usr/bin/env bash
# The browser test of `idc explore` (tests/browser/test_explore.py): makes sure Chromium and
# Playwright for Python are there (installing them if it can), then runs the test against
# the release binary. Never skips: a missing piece it cannot install is an error.
#
#   cargo build --release --bin idc && tests/browser/run.sh
#
# Environment: IDC_BIN (default target/release/idc), CHROMIUM (default /usr/bin/chromium),
# PYTHON (default python3), IDC_SCREENSHOT=1 to rewrite docs/explore.png.
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON="${PYTHON:-python3}"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
IDC_BIN="${IDC_BIN:-target/release/idc}"

fail() {
    echo "tests/browser/run.sh: $*" >&2
    exit 1
}

if [ ! -x "$IDC_BIN" ]; then
    fail "$IDC_BIN: no idc binary; build it first: cargo build --release --bin idc (or set IDC_BIN)"
fi

command -v "$PYTHON" >/dev/null 2>&1 ||
    fail "$PYTHON not found: the browser test needs Python 3 (apt-get install -y python3 python3-pip)"

if [ ! -x "$CHROMIUM" ]; then
    echo "tests/browser/run.sh: $CHROMIUM missing: apt-get install -y chromium" >&2
    if command -v apt-get >/dev/null 2>&1; then
        SUDO=""
        if [ "$(id -u)" != 0 ]; then
            command -v sudo >/dev/null 2>&1 && SUDO="sudo -n"
        fi
        $SUDO apt-get install -y chromium ||
            { $SUDO apt-get update && $SUDO apt-get install -y chromium; } || true
    fi
    [ -x "$CHROMIUM" ] ||
        fail "no browser at $CHROMIUM and it could not be installed; install Chromium (Debian/Ubuntu: sudo apt-get install -y chromium) or point CHROMIUM at a Chromium binary"
fi

if ! "$PYTHON" -c 'import playwright.sync_api' >/dev/null 2>&1; then
    echo "tests/browser/run.sh: the Python module playwright is missing: $PYTHON -m pip install playwright" >&2
    "$PYTHON" -m pip install playwright ||
        "$PYTHON" -m pip install --user playwright ||
        "$PYTHON" -m pip install --break-system-packages playwright || true
    "$PYTHON" -c 'import playwright.sync_api' >/dev/null 2>&1 ||
        fail "the Python module playwright is missing and could not be installed; install it: $PYTHON -m pip install playwright (its browser download is not needed: the test uses $CHROMIUM)"
fi

export IDC_BIN CHROMIUM
exec "$PYTHON" tests/browser/test_explore.py
