"""The package reads as a pipeline: public names pinned, small modules, no cycles, no report named in the code."""
from __future__ import annotations

import ast

import yaml

import cityqa
from cityqa.settings import PROJECT_ROOT
from conftest import CORPUS

SRC = PROJECT_ROOT / "src" / "cityqa"
MODULES = sorted(p for p in SRC.rglob("*.py"))


def test_public_api_is_pinned():
    assert cityqa.__all__ == ["Settings", "build_qa", "QA", "Answer", "Citation"]
    assert all(getattr(cityqa, name) for name in cityqa.__all__)


# modules being rewritten in other sessions, with the size they may reach meanwhile; remove each once it is split
OVERSIZE = {"tools/evaluation.py": 300}


def test_modules_stay_small():
    sizes = {p.relative_to(SRC).as_posix(): len(p.read_text(encoding="utf-8").splitlines()) for p in MODULES}
    assert {name: n for name, n in sizes.items() if n > OVERSIZE.get(name, 250)} == {}


def _imports(path) -> set[str]:
    """cityqa modules a module imports at its top level (imports inside functions are deferred, not cycles)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("cityqa"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("cityqa")}
    return found


def test_imports_have_no_cycles():
    name = {p: "cityqa." + p.relative_to(SRC).with_suffix("").as_posix().replace("/", ".").removesuffix(".__init__")
            for p in MODULES}
    graph = {name[p]: {m for m in _imports(p) if m != "cityqa"} for p in MODULES}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            assert state.get(nxt) != 1, " → ".join(path + [nxt])
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [node])


def test_nothing_in_the_code_names_a_document_of_the_corpus():
    names = set()
    for path in CORPUS.glob("*.md"):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
        names |= {meta["title"], meta["doc_id"], *(a["name"] for a in meta.get("authors", []))}
        names |= {a.get("name_en", "") for a in meta.get("authors", [])} - {""}
    runtime = [p for p in MODULES if "tools" not in p.parts]
    hits = [(p.name, n) for p in runtime for n in names if n in p.read_text(encoding="utf-8")]
    assert hits == []
