#!/usr/bin/env bash
# Create .venv and install cityqa; torch==2.13.0 (CPU build, from local disk) goes first so that nothing
# that depends on torch pulls the multi-GB CUDA build. Usage: scripts/setup.sh [extra]  (extra: dev)
set -euo pipefail
cd "$(dirname "$0")/.."
extra="${1:-}"
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q torch==2.13.0
.venv/bin/python -m pip install -q -e ".${extra:+[$extra]}"
