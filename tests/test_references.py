"""References follow GB/T 7714-2015 (Chinese) and APA 7 (English), built from document metadata only."""
from __future__ import annotations

import datetime as dt

from cityqa.answering.references import format_references

TODAY = dt.date(2026, 11, 28)
NEWSPAPER = {"title": "国际城市发展的新赛道与新维度", "language": "zh", "authors": "苏宁、屠启宇、冯佳敏",
             "authors_en": "Su Ning, Tu Qiyu, Feng Jiamin", "publisher": "上海社会科学院", "date": "2023-03-20",
             "publication": "《社会科学报》总第1845期2版", "source": "sass-new-tracks.zh.md"}
NEWSPAPER_TRANSLATION = {"title": "New Tracks and New Dimensions of International City Development",
                         "publisher": "Shanghai Academy of Social Sciences", "translation_of": "sass-new-tracks"}


def test_a_newspaper_article_with_a_translation():
    refs = format_references(NEWSPAPER | {"newspaper_en": "Social Sciences Weekly"}, NEWSPAPER_TRANSLATION, TODAY)
    assert refs["zh"] == "苏宁, 屠启宇, 冯佳敏. 国际城市发展的新赛道与新维度[N]. 社会科学报, 2023-03-20(2)."
    assert refs["en"] == ("Su, N., Tu, Q., & Feng, J. (2023, March 20). 国际城市发展的新赛道与新维度 "
                          "[New Tracks and New Dimensions of International City Development]. "
                          "社会科学报 [Social Sciences Weekly], 2.")


def test_explicit_front_matter_fields_win_over_the_publication_line():
    meta = NEWSPAPER | {"newspaper": "社会科学报", "page": "3", "doc_type": "newspaper",
                        "title_en": "New tracks and new dimensions"}
    refs = format_references(meta, {}, TODAY)
    assert refs["zh"].endswith("[N]. 社会科学报, 2023-03-20(3).")
    assert "国际城市发展的新赛道与新维度 [New tracks and new dimensions]." in refs["en"]
    assert "track" not in refs["zh"] and "段落" not in refs["zh"]  # no internal ids


def test_a_report_by_an_organisation():
    meta = {"title": "上海城市数字化转型报告", "publisher": "上海社会科学院", "place": "上海", "date": "2022-06",
            "language": "zh", "source": "reports/digital.md", "title_en": "Report on Shanghai's Digital Transformation",
            "publisher_en": "Shanghai Academy of Social Sciences", "doc_type": "report"}
    refs = format_references(meta, {}, TODAY)
    assert refs["zh"] == "上海社会科学院. 上海城市数字化转型报告[R]. 上海: 上海社会科学院, 2022."
    assert refs["en"] == ("Shanghai Academy of Social Sciences. (2022). 上海城市数字化转型报告 "
                          "[Report on Shanghai's Digital Transformation].")


def test_a_web_page_with_its_url_and_access_date():
    meta = {"title": "Heting opens a data exchange", "author": "Mara Quill", "date": "2024-05-01", "language": "en",
            "source": "uploads/heting.html", "url": "https://news.example.org/heting",
                "publisher": "Heting Daily Online"}
    refs = format_references(meta, {}, TODAY)
    assert refs["zh"] == ("QUILL M. Heting opens a data exchange[EB/OL]. (2024-05-01)[2026-11-28]. "
                          "https://news.example.org/heting.")
    assert refs["en"] == ("Quill, M. (2024, May 1). Heting opens a data exchange. Heting Daily Online. "
                          "https://news.example.org/heting")


def test_an_uploaded_docx_uses_its_properties_not_its_file_name():
    meta = {"title": "Velmora Waterfront Strategy", "author": "Ada Lin; Tomas Berg", "created": "2025-02-11",
            "language": "en", "source": "uploads/velmora-strategy.docx"}
    refs = format_references(meta, {}, TODAY)
    assert refs["zh"] == "LIN A, BERG T. Velmora Waterfront Strategy[Z]. 2025."
    assert refs["en"] == "Lin, A., & Berg, T. (2025). Velmora Waterfront Strategy [Unpublished document]."


def test_a_file_without_a_title_reads_as_words_not_a_file_name():
    refs = format_references({"title": "velmora-strategy", "source": "uploads/velmora-strategy.docx",
                              "language": "en"}, {}, TODAY)
    assert refs["en"] == "Velmora strategy [Unpublished document]. (n.d.)."
    assert "velmora-strategy" not in refs["zh"]


def test_a_hit_takes_the_original_from_the_version_that_names_the_work():
    from cityqa.answering.references import references
    from cityqa.types import Hit, Passage

    en = Passage("e", "text", NEWSPAPER_TRANSLATION | {"doc_id": "w.en", "group": "w", "language": "en"})
    zh = Passage("z", "文本", NEWSPAPER | {"doc_id": "w", "group": "w"})
    refs = references(Hit(key="w#p.1", score=1.0, versions={"en": [en], "zh": [zh]}), TODAY)
    assert refs["zh"].startswith("苏宁, 屠启宇, 冯佳敏. 国际城市发展的新赛道与新维度[N]")
    assert "[New Tracks and New Dimensions of International City Development]" in refs["en"]


def test_a_title_before_an_authors_name_is_not_an_initial():
    meta = {"title": "Review of the Marren Harbour Waterfront Programme", "language": "en", "authors": "Dr. Helen Park",
            "date": "2026-09-02", "source": "uploads/harbor-review.md"}
    refs = format_references(meta, {}, TODAY)
    assert refs["zh"].startswith("PARK H. Review of the Marren") and refs["en"].startswith("Park, H. (2026"), refs
