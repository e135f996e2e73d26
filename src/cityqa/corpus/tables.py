"""Own tables: each row becomes a paragraph that reads on its own, its values paired with the header cells."""
from __future__ import annotations

import re

from cityqa.corpus.files import UnreadableFile

Row = list  # one row's cells in grid order: each cell's text, None where a merged cell goes on from the left
CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MAX_HEADER_CELL = 40  # a header names a column: a longer first-row cell is data or text
DATA_CELL = re.compile(r"[-+−]?[\d.,，%％\s]+(?:[亿万千百]?[元个人次部处]?)")  # a figure, never a column's name
YEAR = re.compile(r"(?:19|20)\d{2}\s*年?")  # years do name columns ("指标 | 2023 | 2024")
WIDE_END = re.compile(r"[\u3000-\u303f\uff01-\uff60]$")  # Chinese punctuation and full-width forms
UNIT_IN_HEADER = re.compile(r"\s*[（(]([^（）()]{1,12})[）)]$")  # "投资（亿元）", "Investment (million)", "Share (%)"
NUMBER = re.compile(r"[-+−]?\d[\d,，.]*")
EMPTY = re.compile(r"^[-–—/\\]+$")  # a dash in a cell says "none": no value to read out
MARKDOWN_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")


def row_paragraphs(rows: list[Row], header: bool | None = None) -> list[str]:
    """One paragraph per row ("北岭区：项目数 52，投资 2.1亿元"), or each cell's text where cells stand alone."""
    return [text for _, text in row_texts(rows, header)]


def row_texts(rows: list[Row], header: bool | None = None) -> list[tuple[int, str]]:
    """Each row's paragraph with the row's index; header None: the first row is one if it names columns."""
    rows = [[None if cell is None else EMPTY.sub("", " ".join(cell.split())) for cell in row] for row in rows]
    filled = [i for i, row in enumerate(rows) if any(row)]
    if not filled:
        return []
    if header is None:
        header = len(filled) > 1 and filled[0] == 0 and _header_like(rows[0])
    body = [i for i in filled if not (header and i == 0)]
    if all(sum(1 for cell in rows[i] if cell) == 1 for i in body):  # one column, or cells laying out text
        return [(i, cell) for i in body for cell in rows[i] if cell]
    names = rows[0] if header else []
    wide = any(CJK.search(cell or "") for row in rows for cell in row)
    colon, semicolon = ("：", "，") if wide else (": ", "; ")  # a row is one sentence: "；" would end one
    out = []
    for i in body:
        label, *values = rows[i]
        under: dict[int, list[str]] = {}  # values under one header cell (merged over columns) read as one
        for n, value in enumerate(values, 1):
            if value:
                under.setdefault(_origin(names, n), []).append(value)
        pairs = [_pair((names[n] or "") if n < len(names) else "", " ".join(v)) for n, v in under.items()]
        out.append((i, (f"{label}{colon}" if label and pairs else label or "") + semicolon.join(pairs)))
    return out


def markdown_rows(block: str) -> list[Row] | None:
    """The rows of a Markdown pipe table (header, rule, rows), or None when the block is not one."""
    lines = block.split("\n")
    if len(lines) < 2 or not MARKDOWN_RULE.match(lines[1]) or not all("|" in line for line in lines):
        return None
    return [_pipe_cells(line) for line in [lines[0], *lines[2:]]]


def docx_rows(table, text_of) -> list[Row]:
    """A .docx table's rows, merged cells given once; raise UnreadableFile when its grid cannot be read."""
    try:
        rows = []
        for row in table.rows:
            cells, seen = [], set()
            for cell in row.cells:
                cells.append(None if id(cell._tc) in seen else text_of(cell))
                seen.add(id(cell._tc))
            rows.append(cells)
        return rows
    except Exception as exc:  # python-docx raises on a damaged grid (spans past the row): the table only is lost
        raise UnreadableFile("文档中的一个表格无法读取，已略去", "a table in the document could not be read; "
                             "it was left out") from exc


def html_rows(table) -> tuple[list[Row], bool | None]:
    """An HTML table's rows (a spanning cell given once) and whether its first row is a header (<th> or <thead>)."""
    rows = [row for row in table.find_all("tr") if row.find_parent("table") is table]
    grid = []
    for row in rows:
        cells = []
        for cell in row.find_all(["td", "th"], recursive=False):
            span = int(cell.get("colspan", "1")) if str(cell.get("colspan", "1")).isdigit() else 1
            cells += [" ".join(cell.get_text(" ").split())] + [None] * (min(span, 50) - 1)
        grid.append(cells)
    first = rows[0] if rows else None
    header = bool(first) and (first.find_parent("thead") is not None or
                              all(c.name == "th" for c in first.find_all(["td", "th"], recursive=False)))
    return grid, (True if header else None)  # no <th> row: the first row is a header if it names columns


def data_table(table) -> bool:
    """Tell whether an HTML table holds data (cells of text) rather than laying out a page (cells of paragraphs)."""
    return table.find(re.compile(r"^(h[1-6]|p|li|blockquote|pre|table|div|ul|ol)$")) is None


def _header_like(row: Row) -> bool:
    """Tell whether a first row names columns: short cells, none of them a figure (years may be)."""
    cells = [cell for cell in row[1:] if cell]
    return bool(cells) and all(len(cell) <= MAX_HEADER_CELL for cell in row if cell) and \
        not any(DATA_CELL.fullmatch(cell) and not YEAR.fullmatch(cell) for cell in cells)


def _origin(names: Row, i: int) -> int:
    """The column whose header cell is over column i (a merged header cell is over every column it spans)."""
    while 0 < i < len(names) and names[i] is None:
        i -= 1
    return i


def _pair(name: str, value: str) -> str:
    """A header and its value, a unit in the header's brackets put after a bare number ("投资 2.1亿元", "Share 41%")."""
    unit = UNIT_IN_HEADER.search(name)
    if unit and NUMBER.fullmatch(value):
        name, unit = name[:unit.start()].rstrip(), unit.group(1).strip()
        value += ("" if CJK.match(unit) or unit[0] in "%％‰°" else " ") + unit
    return f"{name}{'' if WIDE_END.search(name) else ' '}{value}" if name else value


def _pipe_cells(line: str) -> Row:
    line = line.strip()
    line = line[1:] if line.startswith("|") else line
    line = line[:-1] if line.endswith("|") and not line.endswith("\\|") else line
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line)]
