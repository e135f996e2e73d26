"""The scan renderer and the OCR benchmark's measures: image-only PDFs with their true lines, edit distance, CER."""
from __future__ import annotations

import json

from cityqa.tools.bench_ocr import distance, normal
from cityqa.tools.render_scans import render_all


def test_edit_distance_and_the_compared_forms_of_each_language():
    assert distance("kitten", "sitting") == 3 and distance("", "abc") == 3 and distance("同一", "同一") == 0
    assert normal("到 2027 年，\n全市", "zh") == "到2027年,全市"  # NFKC; Chinese compared without whitespace
    assert normal("cost  of\nelectricity ", "en") == "cost of electricity"  # a lost space is an error


def test_documents_are_rendered_as_image_only_pdfs_clean_and_noisy_with_their_true_lines(tmp_path):
    import io

    from pypdf import PdfReader

    source = tmp_path / "plan.md"
    source.write_text("---\ntitle: 雁澜市规划\n---\n\n## 一、目标\n\n" + "到2027年建成充电桩两万个。" * 40 + "\n",
                      encoding="utf-8")
    [truth_file] = render_all(tmp_path / "out", [source])
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    assert truth["language"] == "zh" and truth["pages"][0][:2] == ["雁澜市规划", "一、目标"]
    for variant in ("clean", "noisy"):
        pdf = PdfReader(io.BytesIO((tmp_path / "out" / variant / "plan.pdf").read_bytes()))
        assert len(pdf.pages) == len(truth["pages"]) and not pdf.pages[0].extract_text().strip()  # image only
