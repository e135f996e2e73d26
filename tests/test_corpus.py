"""The corpus is the article only, complete and unaltered, with an aligned English translation."""
from __future__ import annotations

import re

from cityqa.corpus.documents import parse_markdown
from cityqa.corpus.glossary import load_glossary
from cityqa.corpus.profiles import item_of
from cityqa.corpus.text import sentences
from conftest import CORPUS, RAW

ZH = CORPUS / "sass-new-tracks.zh.md"
EN = CORPUS / "sass-new-tracks.en.md"
RAW_LINES = RAW.read_text(encoding="utf-8").split("\n")
ARTICLE = range(9, 131)  # 1-based lines of the capture from the lead paragraph to the author note
SIDEBAR = list(range(37, 78)) + list(range(133, 141))  # 专题 / 国际 / 资讯 blocks and the site footer


def body(path) -> str:
    return path.read_text(encoding="utf-8")


def test_every_article_sentence_is_in_the_corpus_character_for_character():
    text = body(ZH)
    article = [RAW_LINES[n - 1].strip().lstrip("#").strip() for n in ARTICLE if n - 1 not in range(36, 77)]
    checked = 0
    for line in article:
        for sentence in sentences(line):
            assert sentence in text, sentence
            checked += 1
    assert checked > 60


def test_no_sidebar_or_footer_sentence_is_in_the_corpus():
    text = body(ZH) + body(EN)
    leaked = [line for n in SIDEBAR for line in [RAW_LINES[n - 1].strip(" -#|")]
              if len(line) >= 4 and line not in ("更多",) and line in text]
    assert leaked == []
    for marker in ("王德忠", "循环经济", "马克思", "淮海中路", "如需转载", "沪ICP备", "首页 >"):
        assert marker not in text


def test_front_matter_names_publisher_date_authors_and_publication():
    meta, title, _ = parse_markdown(body(ZH))
    assert title == "国际城市发展的新赛道与新维度"
    assert (meta["publisher"], str(meta["date"]), meta["language"]) == ("上海社会科学院", "2023-03-20", "zh")
    assert meta["publication"] == "《社会科学报》总第1845期2版" == RAW_LINES[131].strip()
    roles = {a["name"]: a["role"] for a in meta["authors"]}
    assert roles["苏宁"].endswith("上海社会科学院世界经济研究所副研究员")
    assert roles["屠启宇"].startswith("《国际城市蓝皮书（2023）》主编")
    assert roles["冯佳敏"] == "上海社会科学院城市与人口发展研究所硕士"


def test_paragraph_offsets_point_at_the_paragraph_text_in_the_file():
    raw = body(ZH)
    for paragraph in parse_markdown(raw)[2]:
        assert raw[paragraph.start:paragraph.end] == paragraph.text


def test_translation_has_the_same_paragraph_ids_sections_and_tracks():
    zh, en = parse_markdown(body(ZH)), parse_markdown(body(EN))
    assert [p.paragraph_id for p in zh[2]] == [p.paragraph_id for p in en[2]]
    assert [p.section_id for p in zh[2]] == [p.section_id for p in en[2]]
    zh_items = [item_of(p.section_path, 2) and item_of(p.section_path, 2).number for p in zh[2]]
    en_items = [item_of(p.section_path, 2) and item_of(p.section_path, 2).number for p in en[2]]
    assert zh_items == en_items
    assert en[0]["translation_of"] == zh[0]["doc_id"]
    assert "unofficial" in en[0]["translation_note"].lower()
    assert sorted(set(zh_items) - {None}) == list(range(1, 15))


def test_translation_has_one_sentence_per_original_sentence():
    zh, en = parse_markdown(body(ZH))[2], parse_markdown(body(EN))[2]
    assert [len(sentences(p.text)) for p in zh] == [len(sentences(p.text)) for p in en]


def test_translation_keeps_every_number_and_latin_name_of_the_original():
    zh, en = parse_markdown(body(ZH))[2], parse_markdown(body(EN))[2]
    for a, b in zip(zh, en):
        for token in re.findall(r"\d{4}|DEPA|The Global Talent Hub project", a.text):
            assert token in b.text, (a.paragraph_id, token)


def test_glossary_names_all_fourteen_tracks_in_both_languages():
    glossary = load_glossary(CORPUS)
    tracks = {t.item: t for t in glossary if t.kind == "item"}
    assert sorted(tracks) == list(range(1, 15))
    zh_headings = {h.number: p.section_path[-1] for p in parse_markdown(body(ZH))[2] if (h := item_of(p.section_path,
                                                                                                      2))}
    en_headings = {h.number: p.section_path[-1] for p in parse_markdown(body(EN))[2] if (h := item_of(p.section_path,
                                                                                                      2))}
    for n, term in tracks.items():
        assert zh_headings[n].endswith(term.zh)
        assert en_headings[n].lower().endswith(term.en.lower())
