"""Evaluation page: the latest report's figures, plots and failed cases, with headers in the interface language."""
from __future__ import annotations

import base64
import json

import streamlit as st

from cityqa.i18n import column, t
from cityqa.settings import PROJECT_ROOT
from cityqa.tools.report import category_plot, latency_plot

REPORT = PROJECT_ROOT / "eval" / "reports" / "latest" / "report.json"


def table(rows: list[dict], language: str) -> None:
    """A table with its column names (and group names) in the interface language; a cell a row lacks shows "–"."""
    keys = list(dict.fromkeys(k for row in rows for k in row))  # a row without a metric (refusals: no precision)
    st.dataframe([{column(k, language): shown(k, row.get(k), language) for k in keys} for row in rows],
                 hide_index=True, width="stretch")


def shown(key: str, value, language: str):
    """A cell as shown: group, language and category names translated, a metric that does not apply as "–"."""
    if value is None:
        return "–"  # every cell a string: one column never mixes numbers and text (Arrow refuses that)
    if key in ("group", "language", "category"):
        return column(value, language)
    return f"{value:.3f}".rstrip("0").rstrip(".") if isinstance(value, float) else str(value)


def page() -> None:
    """Show eval/reports/latest/report.json, or say how to make one."""
    language = st.session_state.ui_language
    st.title(t("evaluation", language))
    if not REPORT.exists():
        st.info(t("no_report", language))
        return
    report = json.loads(REPORT.read_text(encoding="utf-8"))
    mode = t("mode_llm" if report.get("mode") == "llm" else "mode_extractive", language)
    st.caption(f"{report.get('dataset', '')} · {mode}")
    table([{"group": "all", **report["summary"]}], language)
    table([{"language": k, **v} for k, v in report["by_language"].items()], language)
    table([{"category": k, **v} for k, v in report["by_category"].items()], language)
    left, right = st.columns(2)
    left.image(base64.b64decode(category_plot(report)))
    right.image(base64.b64decode(latency_plot(report)))
    for name, per in report.get("baselines", {}).items():
        st.caption(t("baseline", language, name=name))
        table([{"language": k, **v} for k, v in per.items()], language)
    st.subheader(f"{t('failed_cases', language)} ({len(report['failures'])})")
    table([{"id": f["id"], "category": f["category"], "question": f["question"], "answer": f["answer"],
            "reasons": "; ".join(f["reasons"])} for f in report["failures"]], language)
