#!/usr/bin/env bash
# System packages the tests need: Debian's Chromium for the browser tests (Playwright's own browser
# download cannot be used here) and the DejaVu fonts the test PDF renderer embeds.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1; then
  echo "system packages: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "system packages missing (${missing[*]}) and apt-get is not available" >&2
  exit 1
fi
