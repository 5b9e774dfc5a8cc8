#!/usr/bin/env bash
# Installs Debian's chromium for the browser test when it is missing. Playwright's own browser
# download cannot work on machines without internet access, so the tests use this binary.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
  exit 0
fi
if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "chromium not found and cannot install it here (need root and apt-get); the browser test will be skipped" >&2
  exit 0
fi
echo "installing Debian's chromium for the browser test..."
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
