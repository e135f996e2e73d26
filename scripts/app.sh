#!/usr/bin/env bash
# Install cityqa and serve the Streamlit app; the index is built from corpus/ on first run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/streamlit run app.py --server.headless true --browser.gatherUsageStats false "$@"
