#!/usr/bin/env bash
# A font with Chinese glyphs: the site build draws the Chinese figure labels with it,
# and Chromium renders the Chinese pages with it in the browser tests' screenshots.
set -euo pipefail
if fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei"; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends fonts-wqy-microhei fontconfig >/dev/null
fc-cache -f >/dev/null
# matplotlib caches the font list; a stale cache would not know the new font.
rm -rf "${HOME:-/root}/.cache/matplotlib"
