#!/usr/bin/env bash
# Installs the Debian packages named on the command line that are missing
# (through sudo when not root); does nothing when all are present. Used by
# scripts/setup.sh, scripts/fuzz.sh and the bench/ scripts.
#   scripts/install-missing.sh PACKAGE...
set -euo pipefail
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null |
    grep -q "install ok installed" || missing+=("$package")
done
((${#missing[@]})) || exit 0
echo "mixir: installing ${missing[*]}"
sudo=()
if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
  --no-install-recommends "${missing[@]}" >/dev/null
