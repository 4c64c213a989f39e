#!/usr/bin/env bash
# KaTeX for the lesson site, from the npm registry as pinned by site/package-lock.json.
# (The build hook runs `npm ci` itself when it is missing; doing it here keeps the
# download out of the timed tests.)
set -euo pipefail
cd "$(dirname "$0")/../../site"
if ! command -v npm >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
wanted=$(node -p 'require("./package.json").dependencies.katex')
installed=$(node -p 'try { require("./node_modules/katex/package.json").version } catch (e) { "" }')
if [ "$wanted" != "$installed" ]; then
    npm ci --no-audit --no-fund --loglevel=error
fi
