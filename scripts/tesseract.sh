#!/usr/bin/env bash
# Tesseract and its French model for reading scanned pages (pipeline/ocr.py), from Debian's
# packages: the model is never downloaded at run time.
set -euo pipefail
missing=()
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
tesseract --list-langs 2>/dev/null | grep -qx fra || missing+=(tesseract-ocr-fra)
exec bash "$(dirname "$0")/apt.sh" ${missing[@]+"${missing[@]}"}
