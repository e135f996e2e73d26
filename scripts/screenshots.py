"""Regenerate the README screenshots from the browser test: chat, reader with highlight, phone first screen."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHOTS = {"chat.png": "screenshot-chat.png", "reader.png": "screenshot-reader.png", "phone.png": "screenshot-phone.png"}
TESTS = ["tests/test_browser_chat.py::test_first_screen_offers_the_corpus_and_example_questions_that_answer[phone]",
         "tests/test_browser_reader.py::test_the_cited_sentence_is_highlighted_in_its_card_and_in_the_reader_from_a_fresh_tab"
         "[desktop]"]


def main() -> int:
    """Run the browser tests that take the screenshots, then copy them into docs/."""
    artifacts = ROOT / "artifacts" / "browser"
    for name in SHOTS:
        (artifacts / name).unlink(missing_ok=True)
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", *TESTS], cwd=ROOT)
    if result.returncode != 0:
        print("browser tests failed: screenshots not updated", file=sys.stderr)
        return result.returncode
    for source, target in SHOTS.items():
        shutil.copyfile(artifacts / source, ROOT / "docs" / target)
        print(f"docs/{target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
