#!/usr/bin/env bash
# Install cityqa with its test extras (and Debian's chromium for the browser tests, LibreOffice Writer for the .docx
# export check), then run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
if ! command -v chromium >/dev/null 2>&1 || ! dpkg -s fonts-noto-cjk >/dev/null 2>&1 || ! command -v soffice >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-noto-color-emoji \
      libreoffice-writer-nogui >/dev/null
  else
    echo "chromium or LibreOffice is missing: sudo apt-get install chromium libreoffice-writer-nogui (browser and .docx tests)" >&2
  fi
fi
.venv/bin/ruff check src tests ui app.py
exec .venv/bin/python -m pytest "$@"
