#!/usr/bin/env bash
# Tesseract and its French model for reading scanned pages (pipeline/ocr.py), from Debian's
# packages: the model is never downloaded at run time.
set -euo pipefail
missing=()
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
tesseract --list-langs 2>/dev/null | grep -qx fra || missing+=(tesseract-ocr-fra)
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
