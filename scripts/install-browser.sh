#!/usr/bin/env bash
# Installs what the report's browser test needs: Debian's chromium, at /usr/bin/chromium (the test
# drives it with playwright-core, an npm dev dependency; no browser is downloaded from elsewhere).
# Does nothing when it is already there. Installing needs root (apt-get), as in CI.
#   bash scripts/install-browser.sh                 installs, or fails (exit 1) if it cannot
#   bash scripts/install-browser.sh --if-possible   installs if it can; otherwise says why and
#                                                   exits 0 (the browser test then says it is skipped)
set -euo pipefail
lenient=false
[ "${1:-}" = "--if-possible" ] && lenient=true
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
why=""
if [ "$(id -u)" != 0 ]; then
  why="installing it needs root"
elif ! command -v apt-get >/dev/null; then
  why="apt-get is not here (not Debian)"
fi
if [ -n "$why" ]; then
  echo "install-browser: /usr/bin/chromium is missing and $why: apt-get install chromium (the report's browser test is skipped until then)" >&2
  $lenient && exit 0
  exit 1
fi
echo "install-browser: installing Debian's chromium for the report's browser test…" >&2
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }; then
  echo "install-browser: apt-get install chromium failed" >&2
  $lenient && exit 0
  exit 1
fi
/usr/bin/chromium --version >&2
