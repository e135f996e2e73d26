"""Own answer-quality evaluation: run cases through QA, score them, compare with a baseline."""
from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

from cityqa.answering.claims import cited_segments, support
from cityqa.corpus.profiles import read_number
from cityqa.corpus.text import EN_NUMBERS, detect_language, to_simplified, to_traditional, zh_numeral
from cityqa.errors import BadInput
from cityqa.settings import Settings
from cityqa.tools.cases import is_gold, load_cases  # noqa: F401  (the suite's reading of cases, re-exported)

HEADLINE = {  # metric: (higher is better, tolerance) — a drop beyond the tolerance fails the gate
    "hit@5": (True, 0.02), "mrr": (True, 0.03), "fact_recall": (True, 0.02), "citation_precision": (True, 0.03),
    "citation_support": (True, 0.02), "refusal_accuracy": (True, 0.05), "false_refusal_rate": (False, 0.02),
    "language_match": (True, 0.01), "value_first": (True, 0.05), "item_recall": (True, 0.05),
    "lead_language": (True, 0.02),
}
Ranker = Callable[[dict], list[str]]


@dataclass
class CaseResult:
    """One case's outcome and the reasons it failed, if any."""

    case: dict
    answer: dict
    ranked: list[str]
    scores: dict[str, float]
    reasons: list[str] = field(default_factory=list)


def score_case(case: dict, answer: dict, ranked: list[str], paragraphs: dict[str, str]) -> CaseResult:
    """Score one case: retrieval, citations, facts, refusal and language (None where a metric does not apply)."""
    gold, refuse = set(case.get("gold", [])), bool(case.get("refuse"))
    scores: dict[str, float] = {}
    reasons = []
    if gold:
        first = next((i for i, key in enumerate(ranked) if is_gold(key, gold)), None)
        scores.update({f"hit@{k}": float(first is not None and first < k) for k in (1, 3, 5)})
        scores["mrr"] = 1 / (first + 1) if first is not None else 0.0
    shown = to_simplified(answer["answer"]).lower()
    if refuse:
        scores["refusal_accuracy"] = float(answer["refused"])
        if not answer["refused"]:
            reasons.append("answered an out-of-scope question")
    else:
        scores["false_refusal_rate"] = float(answer["refused"])
        if answer["refused"]:
            reasons.append("refused an answerable question")
        facts = case.get("facts", [])
        if facts:
            missing = [f for f in facts if to_simplified(f).lower() not in shown]
            scores["fact_recall"] = 1 - len(missing) / len(facts)
            if missing:
                reasons.append("missing facts: " + ", ".join(missing))
        cited = [c for c in answer["citations"] if not c["paragraph_key"].endswith("#front-matter")]
        if cited and gold:
            scores["citation_precision"] = sum(is_gold(c["paragraph_key"], gold) for c in cited) / len(cited)
            if scores["citation_precision"] < 1:
                reasons.append("cites paragraphs outside the gold set")
        if cited:
            scores["citation_support"] = citation_support(answer, paragraphs)
    if case.get("value") and not refuse:
        scores["value_first"] = float(value_first(answer["answer"], str(case["value"])))
        if not scores["value_first"]:
            reasons.append(f"value {case['value']!r} not in the first sentence")
    if case.get("items") and not refuse:
        listed = [n for n in case["items"] if names_number(answer["answer"], n)]
        scores["item_recall"] = len(listed) / len(case["items"])
        if scores["item_recall"] < 1:
            reasons.append("missing items: " + ", ".join(str(n) for n in case["items"] if n not in listed))
    if answer.get("answer"):
        lead = lead_language(answer["answer"], case["language"])
        scores["lead_language"] = float(lead == case["language"])
        if not scores["lead_language"]:
            reasons.append(f"answer lead language {lead} ≠ {case['language']}")
    own = answer_language(answer["answer"])
    scores["language_match"] = float(own == case["language"])
    if not scores["language_match"]:
        reasons.append(f"answer language {own} ≠ {case['language']}")
    scores["latency_ms"] = answer["timings_ms"]["total"]
    return CaseResult(case, answer, ranked, scores, reasons)


def first_sentence(text: str) -> str:
    """The answer's first sentence (or first line)."""
    return re.split(r"(?<=[。！？!?])|(?<=\.)\s|\n", text.strip(), maxsplit=1)[0]


def value_first(answer: str, value: str) -> bool:
    """Tell whether the expected value (a number in any of its spellings) is in the answer's first sentence."""
    first = to_simplified(first_sentence(answer)).lower()
    spellings = {to_simplified(value).lower()}
    number = read_number(value) if not value.isdigit() or len(value) <= 2 else None
    if number:
        spellings |= {str(number), zh_numeral(number), EN_NUMBERS[number] if number < len(EN_NUMBERS) else ""}
    return any(s and s in first for s in spellings)


def names_number(answer: str, number: int) -> bool:
    """Tell whether an answer names an item number (4, 四, four) as an item."""
    text = to_simplified(answer).lower()
    return bool(re.search(rf"(?<!\d){number}(?!\d)|赛道{zh_numeral(number)}(?![一二三四五六七八九十])|"
                          rf"第{zh_numeral(number)}|\b{EN_NUMBERS[number] if number < len(EN_NUMBERS) else number}\b",
                          text))


def answer_language(answer: str) -> str:
    """Language of the answer's own words: quotes in another language and titles keep theirs."""
    own = outside_quotes(answer)
    return detect_language(own) if own.strip() else detect_language(answer)


def outside_quotes(text: str) -> str:
    """The text with its quotes, titles and citation markers taken out (quotes may nest)."""
    while (inner := re.sub(r"“[^“”]*”|《[^《》]*》|「[^「」]*」|\[\d+\]", "", text)) != text:
        text = inner
    return text


def lead_language(answer: str, expected: str = "") -> str:
    """Language of the answer's first line outside quotes and titles (a quote keeps its own language); a lead
    written only in characters both scripts share (提到了) is in the expected script."""
    lead = outside_quotes(answer.strip().splitlines()[0] if answer.strip() else "")
    found = detect_language(lead) if lead.strip() else detect_language(answer)
    shared = found == "zh" and lead.strip() and to_traditional(lead) == lead and to_simplified(lead) == lead
    return expected if shared and expected == "zh-Hant" else found


def citation_support(answer: dict, paragraphs: dict[str, str]) -> float:
    """Share of cited answer sentences whose cited paragraphs (with headings) contain their content."""
    by_n = {c["n"]: c for c in answer["citations"]}
    checked = supported = 0
    for claim, numbers in cited_segments(answer["answer"]):
        checked += 1
        texts = " ".join(paragraphs.get(by_n[n]["paragraph_key"] + "|" + by_n[n]["language"], "")
                         for n in numbers if n in by_n)
        supported += support(to_simplified(claim), to_simplified(texts)) >= 0.5
    return supported / checked if checked else 1.0


def aggregate(results: list[CaseResult], key: Callable[[CaseResult], str]) -> dict[str, dict[str, float]]:
    """Average each metric per group (and "all"), over the cases where it applies."""
    groups: dict[str, list[CaseResult]] = {"all": list(results)}
    for result in results:
        group = key(result)
        if group != "all":
            groups.setdefault(group, []).append(result)
    table = {}
    for name, members in groups.items():
        metrics: dict[str, float] = {"n": len(members)}
        names = {m for r in members for m in r.scores if m != "latency_ms"}
        for metric in sorted(names):
            values = [r.scores[metric] for r in members if metric in r.scores]
            metrics[metric] = round(sum(values) / len(values), 4)
        latencies = sorted(r.scores["latency_ms"] for r in members)
        metrics["latency_p50_ms"] = round(statistics.median(latencies), 1)
        metrics["latency_p95_ms"] = round(latencies[int(0.95 * (len(latencies) - 1))], 1)
        table[name] = metrics
    return table


def retrieval_only(cases: list[dict], rank: Ranker) -> dict[str, dict[str, float]]:
    """hit@k and MRR per language for a ranker alone (the baselines)."""
    fake = {"answer": "", "refused": False, "citations": [], "timings_ms": {"total": 0.0}}
    results = [score_case(c, fake, rank(c), {}) for c in cases if c.get("gold")]
    table = aggregate(results, lambda r: r.case["language"])
    keep = ("n", "hit@1", "hit@3", "hit@5", "mrr")
    return {group: {k: v for k, v in metrics.items() if k in keep} for group, metrics in table.items()}


def evaluate(cases: list[dict], answer: Callable[[dict], dict], rank: Ranker, paragraphs: dict[str, str],
             baselines: dict[str, Ranker] | None = None, progress: Callable[[int, int], None] | None = None) -> dict:
    """Run every case and return the report: per language, per category, failures and baselines."""
    results = []
    for i, case in enumerate(cases):
        results.append(score_case(case, answer(case), rank(case), paragraphs))
        if progress:
            progress(i + 1, len(cases))
    return {
        "summary": aggregate(results, lambda r: r.case["language"])["all"],
        "by_language": aggregate(results, lambda r: r.case["language"]),
        "by_category": aggregate(results, lambda r: r.case["category"]),
        "by_split": aggregate(results, lambda r: r.case.get("split", "unsplit")),
        "baselines": {name: retrieval_only(cases, ranker) for name, ranker in (baselines or {}).items()},
        "latencies_ms": [r.scores["latency_ms"] for r in results],
        "failures": [{"id": r.case["id"], "question": r.case["question"], "category": r.case["category"],
                      "language": r.case["language"], "answer": r.answer["answer"], "reasons": r.reasons,
                      "citations": [{"n": c["n"], "paragraph_id": c["paragraph_id"], "quote": c["quote"]}
                                    for c in r.answer["citations"]]} for r in results if r.reasons],
    }


def gate(summary: dict, baseline: dict) -> list[str]:
    """List headline metrics that fell beyond their tolerance compared with the baseline summary."""
    drops = []
    for metric, (higher, tolerance) in HEADLINE.items():
        if metric not in baseline or metric not in summary:
            continue
        change = summary[metric] - baseline[metric]
        if (higher and change < -tolerance) or (not higher and change > tolerance):
            drops.append(f"{metric}: {baseline[metric]:.4f} → {summary[metric]:.4f} (tolerance {tolerance})")
    return drops


def run_evaluation(settings: Settings, datasets: list, mode: str, with_baselines: bool, progress=None) -> dict:
    """Run the evaluation suite through the QA API (extractive, or the configured LLM)."""
    from cityqa.app import build_qa
    from cityqa.tools import benchmark

    if mode == "llm" and not settings.llm_mode():
        raise BadInput("未配置 LLM：请设置 CITYQA_LLM_BASE_URL / CITYQA_LLM_MODEL", "no LLM configured: set "
                       "CITYQA_LLM_BASE_URL / CITYQA_LLM_MODEL")
    if mode == "extractive":
        settings = Settings(**settings.model_dump() | {"llm_provider": None, "llm_base_url": None, "llm_model": None})
    qa = build_qa(settings)
    cases = [case for path in datasets for case in load_cases(path)]

    def answer(case: dict) -> dict:
        try:
            return qa.ask(case["question"], case.get("history", [])).to_dict()
        except BadInput as exc:
            return {"answer": exc.message(case["language"]), "refused": True, "citations": [],
                    "timings_ms": {"total": 0.0}}

    def rank(case: dict) -> list[str]:
        try:
            text = qa.validate(case["question"])
        except BadInput:
            return []
        return [h.key for h in qa.retrieve(text, 10, case.get("history", [])).hits]

    paragraphs = {f"{key}|{lang}": " ".join(f"{p.metadata['section']} {p.text}" for p in passages)
                  for key, versions in qa.paragraphs().items() for lang, passages in versions.items()}
    rankers = {}
    if with_baselines:
        rankers = {"BM25 only": _by_question(benchmark.bm25_ranker(qa)),
                   "dense only, fixed chunks": _by_question(benchmark.naive_dense_ranker(settings, qa))}
    report = evaluate(cases, answer, rank, paragraphs, rankers, progress)
    return report | {"dataset": ", ".join(str(p) for p in datasets), "mode": mode}


def _by_question(rank):
    """Adapt a ranker of questions to rank evaluation cases."""
    return lambda case: rank(case["question"])
