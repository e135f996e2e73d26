"""Own terminal output for the CLI: one-line errors, progress bars, printed answers, history files."""
from __future__ import annotations

import json
import logging
import re
import sys
from contextlib import contextmanager
from pathlib import Path

import typer
from rich.console import Console

from cityqa.errors import BadInput, CityQAError
from cityqa.settings import Settings, load_settings, user_language

log = logging.getLogger("cityqa.cli")
ECHO_CHARS = 200  # a batch error record quotes at most this much of the question

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
# what a terminal would obey rather than print: C0/C1 controls (ESC, CSI), bidi overrides, lone surrogates
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                    r"\u2066-\u2069\u2028\u2029\ud800-\udfff]")
UNSAFE_LINE = re.compile(UNSAFE.pattern[:-1] + r"\n\t]")  # also newlines, for one-line messages
UNSAFE_JSON = re.compile(r"[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def safe(text: object, newlines: bool = True) -> str:
    """Make text printable on a terminal: control and bidi characters shown as visible escapes, never obeyed."""
    def escape(match: re.Match) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return (UNSAFE if newlines else UNSAFE_LINE).sub(escape, str(text))


def dumps(value, **kwargs) -> str:
    """JSON with readable CJK whose every control, bidi or lone-surrogate character is a \\u escape."""
    def escaped(ascii_only: bool) -> str:
        text = json.dumps(value, ensure_ascii=ascii_only, **kwargs)
        return UNSAFE_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)

    text = escaped(False)
    try:
        text.encode(sys.stdout.encoding or "utf-8")
    except UnicodeEncodeError:  # an ASCII or latin-1 stdout: everything escaped as JSON does, so it still parses
        return escaped(True)
    except LookupError:
        pass
    return text


def printable_streams() -> None:
    """Let stdout and stderr in any encoding (ASCII, latin-1) print every text: what they cannot encode is escaped."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def clean_input(text: str) -> str:
    """Replace lone surrogates (from bad bytes or a JSON escape) so a question can be processed and printed."""
    return re.sub(r"[\ud800-\udfff]", "\ufffd", text)


@contextmanager
def user_errors(language: str):
    """Print a CityQAError as one line in the user's language and exit with its code."""
    try:
        yield
    except CityQAError as exc:
        err.print(safe(exc.message(language), newlines=False), markup=False, highlight=False)
        raise typer.Exit(exc.exit_code) from None
    except OSError as exc:  # a folder that is a file, read-only or unwritable: name it, no traceback
        where = safe(exc.filename or "", newlines=False)
        reason = exc.strerror or ("读写错误" if language.startswith("zh") else "I/O error")
        err.print(f"无法使用 {where}：{reason}" if language.startswith("zh") else f"cannot use {where}: {reason}",
                  markup=False, highlight=False)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None


@contextmanager
def progress_bar():
    """Yield a progress callback drawing one rich bar per stage."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    labels = {"read": "reading files / 读取文件", "embed": "embedding / 向量化"}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=False) as bar:
        tasks: dict[str, int] = {}

        def update(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(labels.get(stage, stage), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        yield update


def read_history(path: Path | None, language: str) -> list[dict]:
    """Read a history file: a JSON array of {"role": "user"|"assistant", "content": "..."}."""
    if path is None:
        return []
    try:
        history = json.loads(path.read_text(encoding="utf-8-sig"))  # an editor's BOM is not part of the JSON
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        zh, en = reason(exc)
        raise BadInput(f"无法读取对话历史 {path}：{zh}", f"cannot read the history {path}: {en}") from None
    return check_history(history)


def reason(exc: Exception) -> tuple[str, str]:
    """Say in words (zh, en) why a file could not be read; the exception's class name stays in the log."""
    log.info("cannot read a file: %s: %s", type(exc).__name__, exc)
    if isinstance(exc, json.JSONDecodeError):
        return (f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）",
                f"not valid JSON (line {exc.lineno}, column {exc.colno})")
    if isinstance(exc, UnicodeDecodeError):
        return "不是 UTF-8 文本", "not UTF-8 text"
    if isinstance(exc, OSError):
        return exc.strerror or "读写错误", exc.strerror or "I/O error"
    return "内容不是预期的格式", "not in the expected format"


def check_history(history) -> list[dict]:
    """Validate a history value, or raise BadInput."""
    if not isinstance(history, list) or not all(
            isinstance(t, dict) and t.get("role") in ("user", "assistant") and isinstance(t.get("content"), str)
            for t in history):
        raise BadInput('对话历史必须是 [{"role": "user"|"assistant", "content": "..."}] 形式的数组',
                       'the history must be an array of {"role": "user"|"assistant", "content": "..."}')
    return history


def print_answer(answer) -> None:
    """Print an answer with its numbered citations and references."""
    from cityqa.i18n import t
    from cityqa.questions.conversation import READ_CHARS

    zh = answer.language != "en"
    if "question_cut" in answer.flags:
        err.print(t("flag_question_cut", "zh" if zh else "en", n=READ_CHARS), markup=False, highlight=False)
    out.print(safe(answer.answer), markup=False, highlight=False)
    for c in answer.citations:
        out.print(safe(f"[{c.n}] {c.section or c.title} · {c.paragraph_id}", False), style="bold", markup=False,
                  highlight=False)  # a paragraph before any heading is placed by its document
        out.print(safe(f"    “{c.quote}”", False), markup=False, highlight=False)
        if c.language == "en" and c.original:
            out.print(safe(f"    原文 / original: {c.original}", False), markup=False, highlight=False)
        out.print(safe(f"    {c.reference['zh' if zh else 'en']}", False), style="dim", markup=False, highlight=False)
    status = ("拒答" if answer.refused else "") if zh else ("refused" if answer.refused else "")
    out.print(f"{answer.mode} · grounding {answer.grounding:.2f} · {answer.timings_ms['total']:.0f} ms {status}",
              style="dim", markup=False, highlight=False)


def read_baseline(path: Path) -> dict:
    """Read the summary of a baseline JSON file, or raise BadInput."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))["summary"]
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
        zh, en = reason(exc)
        raise BadInput(f"无法读取基线 {path}：{zh}", f"cannot read the baseline {path}: {en}") from None


def settings_or_exit(language: str | None = None) -> Settings:
    """Read the settings, or print one line naming the bad CITYQA_* value and exit 2."""
    with user_errors(language or user_language()):
        return load_settings()


def waiting(language: str):
    """A progress callback that says once, on stderr, that a first index build by another process is awaited."""
    said = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "wait" and not said:
            said.append(True)
            err.print(f"另一个进程正在建立索引，最多等待 {total} 秒…" if language.startswith("zh") else
                      f"another process is building the index; waiting up to {total} s…", markup=False, highlight=False)
    return progress


def answer_line(qa, number: int, raw: bytes, fallback: str) -> tuple[dict, str]:
    """Answer one batch line: (answer record, "") or (error record naming the line, one-line message)."""
    from cityqa.corpus.text import detect_language

    case_id, question, language = f"line {number}", "", fallback
    try:
        try:
            case = json.loads(raw.decode("utf-8-sig"))  # a BOM, at the file's start or pasted into a line
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise BadInput(f"第 {number} 行不是有效的 UTF-8 JSON", f"line {number} is not valid UTF-8 JSON") from None
        if not isinstance(case, dict):
            raise BadInput("每行必须是一个 JSON 对象", "each line must be a JSON object")
        if isinstance(case.get("id"), (str, int)) and not isinstance(case.get("id"), bool):
            case_id = clean_input(str(case["id"])) if isinstance(case["id"], str) else case["id"]
        question = case.get("question", "")
        if not isinstance(question, str):
            raise BadInput("question 必须是文字", "the question must be text")
        question = clean_input(question)
        language = detect_language(question) if question.strip() else fallback
        return qa.ask(question, check_history(case.get("history", []))).to_dict(case_id), ""
    except CityQAError as exc:
        message = exc.message(language)
    except Exception:  # one bad line must never cost the later ones
        log.info("batch line %s failed", number, exc_info=True)  # class and traceback: the log, not the console
        message = ("无法回答这一行（内部错误，详见日志）" if language != "en"
                   else "cannot answer this line (internal error, see the log)")
    echo = question if isinstance(question, str) else ""
    echo = echo if len(echo) <= ECHO_CHARS else echo[:ECHO_CHARS] + "…"
    return {"id": case_id, "line": number, "question": echo, "error": message}, message
