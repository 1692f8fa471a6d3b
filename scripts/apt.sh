#!/usr/bin/env bash
# Install the Debian packages named as arguments (the ones a caller found missing), quietly,
# with sudo when not root; chromium.sh and tesseract.sh hand it what they found missing.
set -euo pipefail
[ $# -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1; then
  echo "system packages: installing $*"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
else
  echo "system packages missing ($*) and apt-get is not available" >&2
  exit 1
fi
