"""The .docx export opened by LibreOffice: converted to PDF, a page drawn as PNG, its text checked as read."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from cityqa.export import conversation_docx
from cityqa.settings import PROJECT_ROOT

pytestmark = pytest.mark.slow
SOFFICE = shutil.which("soffice")
ARTIFACTS = PROJECT_ROOT / "artifacts" / "export"
QUESTIONS = ["What do the tidal parks protect Lumen from?", "What else?", "潮汐公园保护卢门免受什么侵袭？",
             "Who wrote the plan?"]


def conversation(qa) -> list[dict]:
    """A conversation as the chat page keeps it: questions, and answers with citations and an understood-as note."""
    turns, history = [], []
    for question in QUESTIONS:
        answer = qa.ask(question, history).to_dict()
        turns += [{"role": "user", "content": question}, {"role": "assistant", "answer": answer}]
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer["answer"]}]
    return turns


def libreoffice_pdf(docx: bytes, folder) -> bytes:
    """The PDF LibreOffice makes of a .docx (headless, with a profile of its own)."""
    source = folder / "conversation.docx"
    source.write_bytes(docx)
    subprocess.run([SOFFICE, f"-env:UserInstallation=file://{folder / 'profile'}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(folder), str(source)], check=True, capture_output=True, timeout=180)
    return (folder / "conversation.pdf").read_bytes()


def pdf_pages(pdf: bytes, png) -> list[str]:
    """Each page's text, the first page drawn to png (pdftoppm where installed, else pdfium)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    texts = [page.get_textpage().get_text_range() for page in document]
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile", "-",
                        str(png.with_suffix(""))], input=pdf, check=True, timeout=60)
    else:
        document[0].render(scale=110 / 72).to_pil().save(png)
    return texts


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed: scripts/test.sh installs it")
@pytest.mark.parametrize("language", ["en", "zh"])
def test_the_docx_export_reads_right_in_libreoffice(tiny_qa, tmp_path, language):
    turns = conversation(tiny_qa)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    png = ARTIFACTS / f"docx-{language}-page1.png"
    pages = pdf_pages(libreoffice_pdf(conversation_docx(turns, language), tmp_path), png)
    text = " ".join(" ".join(pages).split())
    assert png.stat().st_size > 10_000  # a drawn page, looked at by hand
    assert "“The tidal parks protect Lumen from storm surges.”" in text and "[1]" in text
    assert ("Understood as: What else?" if language == "en" else "理解为：What else?") in text
    assert "“潮汐公园保护卢门免受风暴潮侵袭。”" in text
    assert "GB/T 7714-2015" in text and ("APA 7th edition" if language == "en" else "APA 第 7 版格式") in text
    assert ("References" if language == "en" else "参考文献") in text
    assert "\\" not in text and "**" not in text and "\\[" not in text  # no escape characters or Markdown marks
    assert "front matter" not in text
    assert ("from the document's metadata" if language == "en" else "来自文档元数据") in text
    assert "[1] “Ada Quill”" in text  # a metadata value quoted as the English answer gave it, not as 柯艾达
