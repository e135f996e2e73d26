"""Shared app state: cached QA, session start, the interface-language switch, corpus facts for the pages."""
from __future__ import annotations

import threading
import uuid

import streamlit as st

from cityqa.settings import Settings


class IndexBuild:
    """The QA object built once per process on a thread of its own, with how far building its index has come."""

    def __init__(self):
        self.stage, self.done, self.total = "open", 0, 0
        self.qa, self.error = None, None
        self._thread = threading.Thread(target=self._build, name="cityqa-build", daemon=True)
        self._thread.start()

    def _report(self, stage: str, done: int, total: int) -> None:
        self.stage, self.done, self.total = stage, done, total

    def _build(self) -> None:
        from cityqa.app import build_qa

        try:
            self.qa = build_qa(Settings(), progress=self._report)
        except Exception as exc:  # kept for the page that asks for the QA: it shows the error, the next run retries
            self.error = exc

    def ready(self) -> bool:
        """Whether the QA object is built (or its building failed)."""
        return not self._thread.is_alive()

    def result(self):
        """The QA object, once built; the building's error when it failed (a later call builds again)."""
        self._thread.join()
        if self.error is not None:
            index_build.clear()
            raise self.error
        return self.qa


@st.cache_resource(show_spinner=False)
def index_build() -> IndexBuild:
    """The process's one QA build, started by the first page load."""
    return IndexBuild()


def get_qa():
    """The QA object of this process (the index built from corpus/ on first run)."""
    return index_build().result()


def start_session() -> str:
    """Give a new session its id, empty conversation and UI language (a link's ?lang=, else the browser's)."""
    if "ui_language" not in st.session_state:
        locale = (st.query_params.get("lang") or getattr(st.context, "locale", None) or "en").lower()
        st.session_state.ui_language = "zh" if locale.startswith("zh") else "en"
        st.session_state.session_id = uuid.uuid4().hex
        st.session_state.turns = []
        st.session_state.feedback_sent = set()
    return st.session_state.ui_language


def _language_chosen() -> None:
    """Apply a click on the language switch; a click on the selected option keeps it selected."""
    choice = st.session_state.language_switch
    if choice:
        st.session_state.ui_language = choice
    else:
        st.session_state.language_switch = st.session_state.ui_language


def language_switch() -> None:
    """Draw the interface-language switch; its state changes only through its own callback."""
    if st.session_state.get("language_switch") != st.session_state.ui_language:
        st.session_state.language_switch = st.session_state.ui_language
    st.segmented_control("界面语言 / Language", ["zh", "en"], key="language_switch", on_change=_language_chosen,
                         required=True,
                         format_func=lambda code: "中文" if code == "zh" else "English")


@st.cache_data(show_spinner=False, max_entries=8)
def corpus_overview(version: str) -> list[dict]:
    """Documents grouped into works (an original with its translations), with languages, sections and examples."""
    qa = get_qa()
    examples = front_matter_examples(qa.settings.corpus_dir, qa.embeddings)
    works: dict[str, dict] = {}
    for doc in qa.documents():
        work = works.setdefault(doc["group"], {"group": doc["group"], "title": doc["title"], "languages": [],
                                               "paragraphs": 0, "sections": [], "examples": [], "docs": []})
        work["docs"].append(doc)
        work.setdefault("titles", {})[doc["language"]] = doc["title"]
        work["languages"].append(doc["language"])
        if doc["doc_id"] == doc["group"]:
            work["title"], work["paragraphs"] = doc["title"], doc["paragraphs"]
        work["examples"] += examples.get(doc["doc_id"], [])
    for key, versions in qa.paragraphs().items():
        work = works.get(key.partition("#")[0])
        if work is None:
            continue
        first = next(iter(versions.values()))[0].metadata
        heading = first.get("section", "").rpartition(" > ")[2]
        numbered = first.get("item") or first.get("track")
        if heading and heading not in work["sections"] and not numbered and len(work["sections"]) < 6:
            work["sections"].append(heading)
        work["paragraph_count"] = work.get("paragraph_count", 0) + 1
    for work in works.values():
        work["paragraphs"] = work.get("paragraph_count", work["paragraphs"])
        work["languages"] = sorted(set(work["languages"]))
    return sorted(works.values(), key=lambda w: w["group"])


def front_matter_examples(corpus_dir, embeddings=None) -> dict[str, list[str]]:
    """Each Markdown document's `examples` front-matter list, by doc_id; instruction-like examples left out."""
    from cityqa.corpus.documents import split_front_matter
    from cityqa.corpus.metascreen import instruction_like
    from cityqa.errors import CityQAError

    found = {}
    for path in sorted(corpus_dir.rglob("*.md")):
        if path.name.startswith("_") or "_raw" in path.parts:
            continue
        try:
            meta, _ = split_front_matter(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError, CityQAError):  # ingest names the file; the page goes on
            continue
        if isinstance(meta, dict) and isinstance(meta.get("examples"), list):
            found[str(meta.get("doc_id") or path.stem)] = [str(e) for e in meta["examples"] if isinstance(e, str | int)]
    texts = sorted({e for examples in found.values() for e in examples})
    bad = {e for e, flagged in zip(texts, instruction_like(texts, embeddings)) if flagged}
    return {doc_id: [e for e in examples if e not in bad] for doc_id, examples in found.items()}


def overview() -> list[dict]:
    """The corpus overview for the index version answers are served from (a removal elsewhere shows at once)."""
    return corpus_overview(get_qa().version())
