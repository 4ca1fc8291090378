#!/bin/sh
# Installs the Debian packages Napkin uses, only those missing. Safe to run again.
set -eu
PACKAGES="chromium chromium-headless-shell tesseract-ocr tesseract-ocr-eng fonts-dejavu-core fonts-humor-sans fonts-comic-neue fonts-dkg-handwriting"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
  echo "system packages: all present"
  exit 0
fi
echo "system packages: installing$missing"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "error: need root (or sudo) to install:$missing" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
