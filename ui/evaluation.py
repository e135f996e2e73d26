"""Evaluation page: the latest report's figures, plots and failed cases."""
from __future__ import annotations

import base64
import json

import streamlit as st

from cityqa.i18n import t
from cityqa.settings import PROJECT_ROOT
from cityqa.tools.report import category_plot, latency_plot

REPORT = PROJECT_ROOT / "eval" / "reports" / "latest" / "report.json"


def page() -> None:
    """Show eval/reports/latest/report.json, or say how to make one."""
    language = st.session_state.ui_language
    st.title(t("evaluation", language))
    if not REPORT.exists():
        st.info(t("no_report", language))
        return
    report = json.loads(REPORT.read_text(encoding="utf-8"))
    st.caption(f"{report.get('dataset', '')} · {report.get('mode', '')}")
    st.dataframe([{"group": "all", **report["summary"]}], hide_index=True)
    st.dataframe([{"language": k, **v} for k, v in report["by_language"].items()], hide_index=True)
    st.dataframe([{"category": k, **v} for k, v in report["by_category"].items()], hide_index=True)
    left, right = st.columns(2)
    left.image(base64.b64decode(category_plot(report)))
    right.image(base64.b64decode(latency_plot(report)))
    for name, per in report.get("baselines", {}).items():
        st.caption(name)
        st.dataframe([{"language": k, **v} for k, v in per.items()], hide_index=True)
    st.subheader(f"{t('failed_cases', language)} ({len(report['failures'])})")
    st.dataframe([{"id": f["id"], "category": f["category"], "question": f["question"], "answer": f["answer"],
                   "reasons": "; ".join(f["reasons"])} for f in report["failures"]], hide_index=True)
