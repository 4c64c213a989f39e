#!/usr/bin/env bash
# Debian's Chromium for the browser tests of the lesson site (tests/test_site_browser.py).
# Playwright drives it; Playwright's own browser download cannot work on these machines.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
/usr/bin/chromium --version
