#!/usr/bin/env bash
# The fixture suite on the text documents and on image-only scans of them (rendered, then read by OCR), side by side.
# Usage: scripts/eval-scans.sh [clean|noisy] [cityqa eval options]      (PYTHON: the interpreter, default .venv's)
# OCR_CACHE=dir keeps recognised pages between runs (a layout change needs no new OCR); KEEP=dir keeps the
# renders and both reports, for reading the failing cases.
set -euo pipefail
cd "$(dirname "$0")/.."
variant="${1:-clean}"
[ $# -gt 0 ] && shift
python="${PYTHON:-.venv/bin/python}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" -m cityqa render-scans "$work/scans" >/dev/null
for kind in text scan; do
  mkdir -p "$work/$kind"
  cp -r corpus "$work/$kind/corpus"
  if [ "$kind" = text ]; then cp eval/fixtures/corpus/* "$work/$kind/corpus/"
  else cp "$work/scans/$variant/"*.pdf "$work/$kind/corpus/"; fi
  if [ -n "${OCR_CACHE:-}" ]; then mkdir -p "$OCR_CACHE" "$work/$kind/data"; ln -s "$(realpath "$OCR_CACHE")" "$work/$kind/data/ocr"; fi
  CITYQA_CORPUS_DIR="$work/$kind/corpus" CITYQA_INDEX_DIR="$work/$kind/index" CITYQA_DATA_DIR="$work/$kind/data" \
    "$python" -m cityqa eval --dataset eval/fixtures/cases.jsonl --no-baselines --out "$work/$kind/report" "$@" \
    >"$work/$kind/eval.log" 2>&1 || { cat "$work/$kind/eval.log"; exit 1; }
done
if [ -n "${KEEP:-}" ]; then mkdir -p "$KEEP"; for kind in text scan; do cp -r "$work/$kind/report" "$KEEP/$kind-report"; cp "$work/$kind/eval.log" "$KEEP/$kind-eval.log"; done; cp -r "$work/scans" "$KEEP/scans"; fi
"$python" - "$work/text/report/report.json" "$work/scan/report/report.json" "$variant" <<'PY'
import json, sys
text, scan = (json.load(open(p, encoding="utf-8"))["by_language"] for p in sys.argv[1:3])
print(f"fixture suite: text documents vs image-only scans ({sys.argv[3]}), read by OCR")
print(f"{'language':10s} {'metric':20s} {'text':>8s} {'scan':>8s} {'Δ':>8s}")
for language in text:
    for metric in ("fact_recall", "hit@5", "citation_support", "refusal_accuracy"):
        a, b = text[language].get(metric), scan.get(language, {}).get(metric)
        if isinstance(a, (int, float)) and isinstance(b, (int, float)):
            print(f"{language:10s} {metric:20s} {a:8.4f} {b:8.4f} {b - a:+8.4f}")
PY
