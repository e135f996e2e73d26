#!/usr/bin/env bash
# Evaluate with the fictional fixture documents beside the report, indexed in a temporary folder.
# Usage: scripts/eval-fixtures.sh [cityqa eval options]   (default dataset: eval/fixtures/cases.jsonl)
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp -r corpus "$work/corpus"
cp eval/fixtures/corpus/* "$work/corpus/"
export CITYQA_CORPUS_DIR="$work/corpus" CITYQA_INDEX_DIR="$work/index" CITYQA_DATA_DIR="$work/data"
case " $* " in *" --dataset "*) ;; *) set -- --dataset eval/fixtures/cases.jsonl "$@" ;; esac
.venv/bin/cityqa eval "$@"
