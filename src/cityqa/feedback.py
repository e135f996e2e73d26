"""Own feedback: append ratings to a JSONL file safely, and turn selected feedback into draft eval cases."""
from __future__ import annotations

import json
import logging
import time
from pathlib import Path

from filelock import FileLock, Timeout

from cityqa.errors import CityQAError

log = logging.getLogger("cityqa.feedback")


def record_feedback(path: Path, session: str, rating: str, comment: str, answer: dict, settings: dict) -> dict:
    """Append one feedback record (whole lines only, under a lock) and return it; CityQAError when it cannot be."""
    record = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"), "session": session, "rating": rating,
              "comment": comment[:2000], "question": answer["question"], "language": answer["language"],
              "answer": answer["answer"], "refused": answer["refused"], "mode": answer["mode"],
              "citations": [{k: c[k] for k in ("n", "paragraph_id", "quote")} for c in answer["citations"]],
              "history": answer.get("history", []), "settings": settings}
    line = json.dumps(record, ensure_ascii=False)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with FileLock(str(path) + ".lock", timeout=10), path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    except (OSError, Timeout) as exc:
        # kept in the server log whole, to be appended by hand; the visitor may send it again
        log.warning("feedback not saved to %s (%s): %s", path, exc, line)
        raise CityQAError("反馈未能保存：反馈文件夹无法写入，请稍后再试",
                          "the feedback was not saved: the feedback folder cannot be written; "
                          "try again later") from None
    return record


def feedback_to_cases(path: Path, rating: str | None = "down") -> list[dict]:
    """Turn feedback records (of one rating, or all) into draft eval cases for review."""
    cases = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            record = json.loads(line)
            if rating and record["rating"] != rating:
                continue
            cases.append({"id": f"fb{number:04d}", "question": record["question"], "language": record["language"],
                          "category": "feedback", "history": record.get("history", []), "gold": [], "facts": [],
                          "refuse": False, "split": "test", "note": record.get("comment", ""),
                          "answer_given": record["answer"]})
    return cases
