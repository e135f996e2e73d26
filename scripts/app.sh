#!/usr/bin/env bash
# Install cityqa, bring the index up to date with corpus/ (a progress bar here, in the terminal), then serve the app.
# Usage: scripts/app.sh [streamlit options]   e.g. scripts/app.sh --server.port 8600, or PORT=8600 scripts/app.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# first run: builds the index before the first page is asked for; later runs: seconds, only changed files re-embedded
.venv/bin/cityqa ingest
exec .venv/bin/streamlit run app.py --server.headless true --browser.gatherUsageStats false \
  ${PORT:+--server.port "$PORT"} "$@"
