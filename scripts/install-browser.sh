#!/usr/bin/env bash
# Installs what the HTML report's browser test needs: Debian's chromium (the test drives it with
# playwright-core, an npm dev dependency, so no browser is downloaded). Does nothing when
# /usr/bin/chromium is already there. Needs root (apt-get), as CI runs.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "install-browser: /usr/bin/chromium is missing and installing it needs root: apt-get install chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends chromium >/dev/null
/usr/bin/chromium --version
