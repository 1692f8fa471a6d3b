#!/usr/bin/env bash
# System packages the tests need: Debian's Chromium for the browser tests (Playwright's own browser
# download cannot be used here) and the DejaVu fonts the test PDF renderer embeds.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || missing+=(fonts-dejavu-core)
exec bash "$(dirname "$0")/apt.sh" ${missing[@]+"${missing[@]}"}
