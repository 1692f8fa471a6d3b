#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright's own browser download cannot be used here).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if command -v apt-get >/dev/null 2>&1; then
  echo "chromium: installing Debian's chromium"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
else
  echo "chromium: /usr/bin/chromium is missing and apt-get is not available" >&2
  exit 1
fi
