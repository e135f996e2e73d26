"""Own the UI text in Chinese and English."""
from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "title": ("城市问答 cityqa", "cityqa — City Q&A"),
    "subtitle": ("关于《国际城市发展的新赛道与新维度》（上海社会科学院，2023）的问答，每句都有可核查的出处。",
                 "Questions and answers on “New Tracks and New Dimensions of International City Development” "
                 "(Shanghai Academy of Social Sciences, 2023), every sentence with a source you can check."),
    "chat": ("问答", "Chat"), "reader": ("原文阅读", "Source reader"), "evaluation": ("评测", "Evaluation"),
    "language": ("界面语言", "Interface language"),
    "ask": ("输入问题（中文或英文）…", "Ask a question (English or Chinese)…"),
    "loading": ("正在加载模型和索引（首次运行会先建立索引）…", "Loading the model and index (the first run builds the index)…"),
    "mode": ("回答模式", "Answer mode"),
    "extractive": ("摘录式（离线，逐句引用原文）", "Extractive (offline, quotes the sources)"),
    "llm": ("大模型：{model}（每句引用均经核查）", "LLM: {model} (every citation checked)"),
    "index": ("索引状态", "Index status"),
    "index_line": ("{chunks} 个片段 · 模型 {model} · 建立于 {built}", "{chunks} chunks · model {model} · built {built}"),
    "documents": ("语料文档", "Corpus documents"),
    "rebuild": ("重建索引", "Rebuild index"),
    "upload": ("添加文档（.md .txt .html .pdf .docx）", "Add a document (.md .txt .html .pdf .docx)"),
    "add": ("加入索引", "Add to the index"),
    "rebuilt": ("索引已更新：新增 {added}，删除 {removed}，未变 {unchanged}（{seconds:.1f} 秒）",
                "Index updated: {added} added, {removed} removed, {unchanged} unchanged ({seconds:.1f} s)"),
    "examples": ("示例问题", "Example questions"),
    "sources": ("出处", "Sources"),
    "quote": ("引文", "Quote"), "original": ("中文原文", "Original Chinese"), "translation": ("英文译文（非官方）", "English translation (unofficial)"),
    "copy_zh": ("复制引用（中文格式）", "Copy reference (Chinese style)"),
    "copy_en": ("复制引用（英文格式）", "Copy reference (English style)"),
    "open_reader": ("在原文中查看", "Open in the reader"),
    "refused": ("未在报告中找到答案", "Not answered by the report"),
    "grounding": ("依据强度 {g:.2f} · {mode} · {ms:.0f} 毫秒", "grounding {g:.2f} · {mode} · {ms:.0f} ms"),
    "flag_partly_unsupported": ("部分无依据的句子已删除", "Some unsupported sentences were removed"),
    "flag_llm_fallback": ("大模型输出不可用，改用摘录式回答", "The LLM output was unusable; showing the extractive answer"),
    "feedback": ("这个回答有帮助吗？", "Was this answer helpful?"),
    "comment": ("补充意见（可选）", "Comment (optional)"),
    "send": ("提交反馈", "Send feedback"), "thanks": ("谢谢，反馈已记录。", "Thank you, feedback saved."),
    "export": ("导出对话（Markdown）", "Export conversation (Markdown)"),
    "clear": ("清空对话", "Clear conversation"),
    "reader_intro": ("全文，中英对照。每段都有编号，可直接链接。", "The full report, Chinese and English side by side. "
                     "Every paragraph has an id you can link to."),
    "view": ("显示", "Show"), "both": ("中英对照", "Side by side"), "zh_only": ("仅中文", "Chinese only"),
    "en_only": ("仅英文", "English only"),
    "glossary": ("术语表", "Glossary"),
    "unofficial": ("英文为非官方工作译文，正式引用请以中文原文为准。",
                   "The English text is an unofficial working translation; quote the Chinese original in formal writing."),
    "no_report": ("还没有评测报告：请运行 cityqa eval", "No evaluation report yet: run cityqa eval"),
    "failed_cases": ("失败用例", "Failed cases"),
    "error": ("出错了：{message}", "Something went wrong: {message}"),
}
EXAMPLES = {
    "zh": ["新赛道三是什么？", "列出十四条新赛道。", "哪些城市在绿色金融方面做了探索？", "什么是“第三维度”？", "哪些新赛道提到了深圳？"],
    "en": ["What is track 7?", "List the fourteen new tracks.", "Which cities are examples of green finance?",
           "What is the third dimension?", "Who wrote this article?"],
}


def t(key: str, language: str, **values) -> str:
    """Return UI text in the interface language ("zh" or "en")."""
    zh, en = TEXT[key]
    return (zh if language == "zh" else en).format(**values)
