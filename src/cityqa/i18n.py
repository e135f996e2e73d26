"""Own the UI text in Chinese and English."""
from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "title": ("城市问答 cityqa", "cityqa — City Q&A"),
    "subtitle": ("根据语料中的文档回答问题，每句话都附有可核查的出处。",
                 "Answers drawn from the documents in the corpus, every sentence with a source you can check."),
    "chat": ("问答", "Chat"), "reader": ("原文阅读", "Source reader"), "evaluation": ("评测", "Evaluation"),
    "language": ("界面语言", "Interface language"),
    "ask": ("输入问题（中文或英文）…", "Ask a question (English or Chinese)…"),
    "loading": ("正在加载模型和索引（首次运行会先建立索引）…", "Loading the model and index (the first run builds the index)…"),
    "mode": ("回答模式", "Answer mode"),
    "extractive": ("摘录式（离线，逐句引用原文）", "Extractive (offline, quotes the sources)"),
    "llm": ("大模型：{model}（每句引用均经核查）", "LLM: {model} (every citation checked)"),
    "mode_extractive": ("摘录式", "extractive"), "mode_llm": ("大模型", "LLM"),
    "index": ("索引状态", "Index status"),
    "index_line": ("{chunks} 个片段 · 模型 {model} · 建立于 {built}", "{chunks} chunks · model {model} · built {built}"),
    "documents": ("语料文档", "Corpus documents"),
    "rebuild": ("重建索引", "Rebuild index"),
    "upload": ("添加文档（.md .txt .html .pdf .docx）", "Add a document (.md .txt .html .pdf .docx)"),
    "upload_button": ("选择文件", "Choose a file"),
    "upload_hint": ("拖放文件到此处，每个文件不超过 {mb} MB", "Drop a file here, up to {mb} MB each"),
    "add": ("加入索引", "Add to the index"),
    "rebuilt": ("索引已更新：新增 {added}，删除 {removed}，未变 {unchanged}（{seconds:.1f} 秒）",
                "Index updated: {added} added, {removed} removed, {unchanged} unchanged ({seconds:.1f} s)"),
    "stage_read": ("读取文件", "reading files"), "stage_embed": ("计算向量", "embedding"),
    "welcome": ("语料文档：{docs} 篇（{languages}），共 {paragraphs} 个段落：",
                "Documents in the corpus: {docs} ({languages}), {paragraphs} paragraphs in all:"),
    "lang_zh": ("中文", "Chinese"), "lang_en": ("英文", "English"),
    "examples": ("试试这些问题", "Try one of these questions"),
    "how_sourced": ("回答只摘录语料原文，每句都标注出处；语料中找不到答案时会直接说明。",
                    "Answers quote the corpus word for word, with a source for every sentence; "
                    "when the corpus does not answer, the chatbot says so."),
    "searching": ("正在查找原文…", "Searching the documents…"),
    "understood_as": ("理解为：{text}", "Understood as: {text}"),
    "uncertain": ("依据不足：请核对出处后再使用", "Weakly supported: check the sources before using this answer"),
    "sources": ("出处", "Sources"),
    "original": ("中文原文", "Original Chinese"), "translation": ("英文译文（非官方）", "English translation (unofficial)"),
    "copy_zh": ("引用格式：GB/T 7714", "Chinese reference (GB/T 7714)"),
    "copy_en": ("引用格式：APA 7", "English reference (APA 7)"),
    "cite_answer": ("引用此回答", "Cite this answer"),
    "open_reader": ("在原文中查看", "Open in the reader"),
    "refused": ("语料中没有找到答案", "Not answered by the corpus"),
    "grounding": ("依据强度 {g:.2f} · {mode} · {ms:.0f} 毫秒", "grounding {g:.2f} · {mode} · {ms:.0f} ms"),
    "flag_partly_unsupported": ("部分无依据的句子已删除", "Some unsupported sentences were removed"),
    "flag_llm_fallback": ("大模型输出不可用，改用摘录式回答", "The LLM output was unusable; showing the extractive answer"),
    "feedback": ("这个回答有帮助吗？", "Was this answer helpful?"),
    "comment": ("补充意见（可选）", "Comment (optional)"),
    "send": ("提交反馈", "Send feedback"), "thanks": ("谢谢，反馈已记录。", "Thank you, feedback saved."),
    "export": ("导出对话（Markdown）", "Export conversation (Markdown)"),
    "clear": ("清空对话", "Clear conversation"),
    "document": ("文档", "Document"),
    "bilingual_intro": ("全文，中英对照。每段都有编号，可直接链接。",
                        "The full text, Chinese and English side by side. Every paragraph has an id you can link to."),
    "single_intro": ("全文（{names}）。每段都有编号，可直接链接。",
                     "The full text ({names}). Every paragraph has an id you can link to."),
    "view": ("显示", "Show"), "both": ("中英对照", "Side by side"), "zh_only": ("仅中文", "Chinese only"),
    "en_only": ("仅英文", "English only"),
    "paragraph_link": ("本段的链接，可在新标签页打开或分享", "A link to this paragraph, to open in a new tab or share"),
    "ask_about": ("就这篇文档提问", "Ask about this document"),
    "glossary": ("术语表", "Glossary"),
    "col_zh": ("中文", "Chinese"), "col_en": ("英文", "English"), "col_kind": ("类别", "Kind"),
    "col_item": ("序号", "No."),
    "unofficial": ("英文为非官方工作译文，正式引用请以中文原文为准。",
                   "The English text is an unofficial working translation; quote the Chinese original in formal writing."),
    "no_documents": ("语料中还没有文档。", "The corpus has no documents yet."),
    "no_report": ("还没有评测报告：请运行 cityqa eval", "No evaluation report yet: run cityqa eval"),
    "failed_cases": ("失败用例", "Failed cases"),
    "baseline": ("基线：{name}", "Baseline: {name}"),
    "error": ("出错了，请重试。如果问题持续，请把编号 {ref} 告诉管理员。",
              "Something went wrong; please try again. If it keeps happening, give the administrator reference {ref}."),
}
COLUMNS: dict[str, tuple[str, str]] = {
    "group": ("分组", "group"), "language": ("语言", "language"), "category": ("类别", "category"),
    "id": ("编号", "id"), "question": ("问题", "question"), "answer": ("回答", "answer"), "reasons": ("原因", "reasons"),
    "n": ("用例数", "cases"), "citation_precision": ("引用精确率", "citation precision"),
    "citation_support": ("引用支持率", "citation support"), "fact_recall": ("要点召回率", "fact recall"),
    "false_refusal_rate": ("误拒率", "false refusal rate"), "hit@1": ("首位命中率", "hit@1"),
    "hit@3": ("前三命中率", "hit@3"), "hit@5": ("前五命中率", "hit@5"), "language_match": ("语言一致率", "language match"),
    "mrr": ("平均倒数排名", "MRR"), "refusal_accuracy": ("拒答准确率", "refusal accuracy"),
    "latency_p50_ms": ("延迟中位数（毫秒）", "latency p50 (ms)"), "latency_p95_ms": ("延迟 P95（毫秒）", "latency p95 (ms)"),
    "all": ("全部", "all"), "zh": ("中文", "Chinese"), "en": ("英文", "English"),
}


def t(key: str, language: str, **values) -> str:
    """Return UI text in the interface language ("zh" or "en")."""
    zh, en = TEXT[key]
    return (zh if language == "zh" else en).format(**values)


def column(name: str, language: str) -> str:
    """A table column name in the interface language (unknown names: words joined by spaces)."""
    zh, en = COLUMNS.get(name, (name.replace("_", " "), name.replace("_", " ")))
    return zh if language == "zh" else en
