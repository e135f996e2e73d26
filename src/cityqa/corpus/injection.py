"""Own instruction-like text detection: cues anyone can read, plus similarity to a curated zh/en pattern set."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

PATTERNS = Path(__file__).with_name("injection_patterns.yaml")
SPAN = r"[^.!?。！？\n]"
AGENT_EN = (r"(?:AI|A\.I\.|LLMs?|GPT|chat ?bots?|bots?|(?:large |AI )?(?:language )?models?"
            r"|(?:AI |virtual )?assistants?|summari[sz]ers?|automated (?:readers?|systems?|agents?))")
AGENT_ZH = r"(?:人工智能|AI|ＡＩ|大语言模型|大模型|语言模型|智能助手|助手|聊天机器人|机器人|智能体)"
# Each cue alone marks a sentence: text addressed to a model, a role marker, an override, or output control.
CUES = [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in (
    # role markers and chat-template tokens
    r"^\s*(?:system|assistant|developer)\s*[:：]|<\|im_(?:start|end)\|>|\[/?INST\]|^\s*#+\s*(?:system|instructions?)\b"
    r"|\bsystem (?:override|prompt|message)\b|\bdeveloper mode\b|\bjailbreak|\bprompt injection\b",
    r"^\s*(?:系统|助手|开发者)\s*[:：]|系统(?:提示|指令|设定|消息|覆盖)|开发者模式|越狱",
    # overriding earlier instructions
    rf"\b(?:ignore|disregard|forget|override|bypass|set aside|pay no attention to|skip|drop){SPAN}{{0,50}}"
    r"\b(?:instructions?|guidance|rules|prompts?|directions|guidelines|configuration|sources"
    r"|(?:you were|what you were) told)\b",
    rf"(?:忽略|无视|忽视|忘记|忘掉|不要理会|不理会|不用理会|别管|抛开|跳过){SPAN}{{0,20}}"
    r"(?:指令|指示|提示|规则|要求|设定|设置|限制|来源|资料)",
    # text addressed to an AI model
    rf"\b(?:to|for|attention|dear|hey|hi|hello|note to|message for|instructions? (?:to|for)),?\s+"
    rf"(?:the |any |all |every |each )?{AGENT_EN}\b"
    rf"|\b(?:any|all|every|each|the|an?)\s+{AGENT_EN}\s+(?:reading|that (?:reads?|process(?:es)?|summari[sz]es?)"
    r"|processing|summari[sz]ing|should|must|shall|will now|is instructed|are instructed)\b"
    rf"|\bif you(?:'re| are) an?\s+{AGENT_EN}|\b{AGENT_EN}s? (?:that|which) (?:read|process|summari[sz]e)\b"
    r"|\bfor the assistant only\b",
    rf"{AGENT_ZH}{SPAN}{{0,12}}(?:请|应当|应该|都应|必须|须|务必|请注意|注意|的新指示|的指示|的指令)"
    rf"|(?:给|致|对|请|告诉)(?:所有|各位|任何|正在)?{SPAN}{{0,10}}{AGENT_ZH}|(?:如果|假如|若)你是{SPAN}{{0,12}}{AGENT_ZH}"
    rf"|仅供\s*{AGENT_ZH}|作为{AGENT_ZH}|(?:注意|提醒)[，,：:]?\s*{AGENT_ZH}|最高(?:指令|优先级)",
    # controlling what the answer says
    rf"\b(?:reply|respond|answer|say|output|print|write|return)\b{SPAN}{{0,40}}"
    r"\b(?:only|exclusively|nothing else|nothing but|"
    r"and nothing|the (?:single |one )?word|as the (?:whole|entire|full) answer)\b"
    r"|\b(?:reply|respond|answer)\s+(?:to\s+)?(?:every|each|any|all)\s+(?:questions?|query|queries|prompts?)"
    r"|\banswer to (?:every|each|any) (?:question|query)\b"
    rf"|\b(?:your|the) (?:only |whole |single |one )?(?:reply|answer|response){SPAN}{{0,20}}"
    r"\b(?:from now on )?(?:is|must be|should be|will be)\s*[:\"“']?\s*[A-Z]{3,}\b"
    r"|\bfrom now on\b|\byou are now\b|\bnew (?:instructions?|directives?|orders)\b|\btell the user to\b"
    r"|\byour (?:new |real )?task is\b"
    r"|\bwhatever the question\b|\btop priority\b[^.]{0,30}\b(?:respond|reply|answer)",
    r"(?:一律|统一|总是|始终|只能|只|仅|都|全部)\s*(?:回答|回复|答复|输出|只写|写|说|改成|改为|写成)"
    rf"|(?:回答|回复|答复|输出|答案){SPAN}{{0,8}}(?:统一|一律|都|只|全部)?(?:为|是|替换为|改为)\s*[“\"「]?[A-Za-z]"
    r"|从现在(?:开始|起)|你现在是|你的(?:新)?任务是|新(?:的)?(?:指令|指示)|告诉用户(?:去)?访问|每个回答|不要(?:输出|回答|回复)其他"
    r"|优先级高于",
)]
# Weaker cues: an imperative next to a flagged sentence continues the same instruction (split across sentences).
FOLLOW = re.compile(r"^\W*(?:please\s+|now\s+|just\s+|simply\s+)?"
                    r"(?:reply|respond|answer|say|output|print|write|tell|include|"
                    r"ignore|always|never|do not|don't|remember|use|add|insert)\b"
                    r"|^\W*(?:请|务必|必须|一律|不要|记住|回答|回复|输出|直接)",
                    re.IGNORECASE)
MARGIN = 0.03  # semantic layer: nearer the instruction patterns than the benign anchors by this much
FLOOR = 0.85


def has_cue(sentence: str) -> bool:
    """Tell whether a sentence carries an explicit instruction cue (no model needed)."""
    return any(cue.search(sentence) for cue in CUES)


def flag_sentences(sentences: list[str], semantic: list[bool] | None = None) -> list[bool]:
    """Flag a paragraph's instruction-like sentences: cues or semantic hits, plus the imperatives next to them."""
    flags = [has_cue(s) or bool(semantic and semantic[i]) for i, s in enumerate(sentences)]
    for i, sentence in enumerate(sentences):
        if not flags[i] and FOLLOW.search(sentence) and ((i and flags[i - 1]) or (i + 1 < len(flags) and flags[i + 1])):
            flags[i] = True
    return flags


def without(text: str, spans: list[tuple[int, int]], flags: list[bool], offset: int = 0) -> str:
    """Return text with the flagged sentence spans (relative to offset) cut out."""
    kept, cursor = [], 0
    for (a, b), flagged in zip(spans, flags):
        a, b = a - offset, b - offset
        if flagged and 0 <= a < b <= len(text):
            kept.append(text[cursor:a])
            cursor = b
    kept.append(text[cursor:])
    return re.sub(r"[ \t]{2,}", " ", "".join(kept)).strip()


def clean_passage(text: str) -> str:
    """Return a passage without its cue-flagged sentences: what may support or be quoted as an answer."""
    from cityqa.corpus.text import sentence_spans

    spans = sentence_spans(text)
    flags = flag_sentences([text[a:b] for a, b in spans])
    return without(text, spans, flags) if any(flags) else text


class SemanticDetector:
    """Flag sentences whose embedding is nearer the curated instruction patterns than the benign anchors."""

    def __init__(self, embeddings):
        self.embeddings = embeddings
        positive, negative = load_patterns()
        vectors = _unit(np.asarray(embeddings.embed_documents(positive + negative), dtype=np.float32))
        self.positive, self.negative = vectors[:len(positive)], vectors[len(positive):]

    def flags(self, vectors: list) -> list[bool]:
        """Flag each embedded sentence that reads like an instruction to a model."""
        if not len(vectors):
            return []
        matrix = _unit(np.asarray(vectors, dtype=np.float32))
        near, benign = (matrix @ self.positive.T).max(1), (matrix @ self.negative.T).max(1)
        return [bool(n >= FLOOR and n - b >= MARGIN) for n, b in zip(near, benign)]


@lru_cache(maxsize=1)
def load_patterns() -> tuple[list[str], list[str]]:
    """Read the curated instruction patterns and benign anchors."""
    data = yaml.safe_load(PATTERNS.read_text(encoding="utf-8"))
    return list(data["instructions"]), list(data["benign"])


def _unit(matrix: np.ndarray) -> np.ndarray:
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)


def flag_records(records: dict, vectors: dict, embeddings) -> list[str]:
    """Flag sentence records the semantic layer catches, cut them from their paragraphs; return changed ids."""
    sentences = [i for i, (_, meta, _) in records.items()
                 if meta["kind"] == "sentence" and not meta["instruction_like"]]
    if not sentences:
        return []
    from cityqa.corpus.screen import screen_for

    near = _detector(embeddings).flags([vectors[i] for i in sentences])
    screen = screen_for(embeddings)  # the learned screen, where it was trained on this embedder's vectors
    learned = (screen.flags([records[i][0] for i in sentences], [vectors[i] for i in sentences],
                            preceding(records, vectors, sentences)) if screen else [False] * len(sentences))
    hits = [i for i, a, b in zip(sentences, near, learned) if a or b]
    changed = []
    for sid in hits:
        text, meta, _ = records[sid]
        records[sid] = (text, meta | {"instruction_like": True}, None)
        for pid, (ptext, pmeta, _) in list(records.items()):
            if (pmeta["kind"] == "paragraph" and pmeta["source"] == meta["source"] and text in ptext
                    and pmeta["paragraph_id"] == meta["paragraph_id"]
                    and pmeta["start"] <= meta["start"] < pmeta["end"]):
                rest = re.sub(r"[ \t]{2,}", " ", ptext.replace(text, "", 1)).strip()
                flagged = pmeta.get("instruction_like_sentences", 0) + 1
                records[pid] = (rest or ptext, pmeta | {"instruction_like": not rest,
                                                         "instruction_like_sentences": flagged}, None)
                changed.append(pid)
    return changed


def preceding(records: dict, vectors: dict, ids: list[str]) -> np.ndarray:
    """The vector of the sentence before each sentence record in its paragraph (a zero row for a first sentence)."""
    order: dict[tuple, list[tuple[int, str]]] = {}
    for i, (_, meta, _) in records.items():
        if meta["kind"] == "sentence" and i in vectors:
            order.setdefault((meta["source"], meta["paragraph_id"]), []).append((meta["start"], i))
    before = {}
    for found in order.values():
        found.sort()
        before.update({b: a for (_, a), (_, b) in zip(found, found[1:])})
    width = len(vectors[ids[0]]) if ids else 0
    return np.asarray([vectors[before[i]] if i in before else np.zeros(width) for i in ids], dtype=np.float64)


_DETECTORS: dict[str, SemanticDetector] = {}


def _detector(embeddings) -> SemanticDetector:
    """One detector per embedding model and process: the patterns are embedded once."""
    key = getattr(embeddings, "model_id", type(embeddings).__name__)
    if key not in _DETECTORS:
        _DETECTORS[key] = SemanticDetector(embeddings)
    return _DETECTORS[key]
