"""Own the UI load test: N browser sessions chatting at once with one local Streamlit server, on loopback only."""
from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx

from cityqa.settings import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic",
         "--no-first-run", "--disable-component-update", "--disable-sync"]
ANSWER_TIMEOUT_MS = 90_000


def expectations(dataset: Path = PROJECT_ROOT / "eval" / "dev.jsonl", n: int = 4) -> list[tuple[str, str]]:
    """(question, a fact its answer shows) from a dataset's answerable zh and en cases, read at run time."""
    from cityqa.tools.evaluation import load_cases

    return [(c["question"], c["facts"][0]) for c in load_cases(dataset)  # zh-Hant answers convert the fact's script
            if c.get("facts") and not c.get("refuse") and c["language"] in ("zh", "en")][:n]


@contextmanager
def streamlit_server(index_dir: Path, data_dir: Path, port: int):
    """Run `streamlit run app.py` on 127.0.0.1:port over an index; yield its URL; stop it afterwards."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CITYQA_")} | {
        "CITYQA_INDEX_DIR": str(index_dir), "CITYQA_DATA_DIR": str(data_dir)}
    process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "app.py"),
                                "--server.headless", "true", "--server.address", "127.0.0.1", "--server.port",
                                str(port), "--browser.gatherUsageStats", "false"], cwd=PROJECT_ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=20)


async def session(browser, url: str, number: int, deadline: float, latencies: list, failures: list,
                  questions: list[tuple[str, str]]) -> None:
    """One chat session: ask the questions in turn until the deadline, timing each answer."""
    context = await browser.new_context(locale="en-US")
    outside = []
    context.on("request", lambda r: outside.append(r.url) if not r.url.startswith((url, "data:", "blob:")) else None)
    page = await context.new_page()
    try:
        await page.goto(url, timeout=180_000)
        box = page.get_by_placeholder("Ask a question")
        await box.wait_for(timeout=180_000)
        turn = 0
        while time.monotonic() < deadline:
            question, expect = questions[(number + turn) % len(questions)]
            seen = await page.get_by_text(expect, exact=False).count()
            started = time.monotonic()
            try:
                await box.fill(question)
                await box.press("Enter")
                await page.get_by_text(expect, exact=False).nth(seen).wait_for(timeout=ANSWER_TIMEOUT_MS)
                latencies.append(time.monotonic() - started)
            except Exception as exc:  # a missing or late answer is what this test counts
                failures.append(f"session {number} turn {turn}: {type(exc).__name__}")
            turn += 1
    except Exception as exc:
        failures.append(f"session {number} start: {type(exc).__name__}")
    finally:
        if outside:
            failures.append(f"session {number}: {len(outside)} requests off loopback")
        await context.close()


async def drive(url: str, sessions: int, seconds: float) -> dict:
    """Run the sessions at once against url for the given time; return the figures."""
    from playwright.async_api import async_playwright

    latencies: list[float] = []
    failures: list[str] = []
    questions = expectations()
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(*(session(browser, url, i, deadline, latencies, failures, questions)
                               for i in range(sessions)))
        elapsed = time.monotonic() - started
        await browser.close()
    ordered = sorted(latencies)
    pick = lambda q: round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2) if ordered else None  # noqa: E731
    return {"sessions": sessions, "seconds": round(elapsed, 1), "answers": len(latencies), "failures": len(failures),
            "failure_lines": failures[:20], "p50_s": round(statistics.median(ordered), 2) if ordered else None,
            "p95_s": pick(0.95), "max_s": round(ordered[-1], 2) if ordered else None}


def main() -> None:
    """python -m cityqa.tools.load INDEX_DIR [SESSIONS] [SECONDS] [PORT]: print the figures as JSON."""
    index_dir = Path(sys.argv[1])
    sessions = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 120
    port = int(sys.argv[4]) if len(sys.argv) > 4 else 8765
    with streamlit_server(index_dir, index_dir.parent / "load-data", port) as (url, _):
        figures = asyncio.run(drive(url, sessions, seconds))
    print(json.dumps(figures, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
