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


def _imports(path, name: str, modules: set[str]) -> set[str]:
    """cityqa modules a module imports anywhere: top level, inside functions, relative, or under TYPE_CHECKING."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            found |= {f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {m for m in found if m in modules and m not in (name, "cityqa")}


def test_imports_have_no_cycles():
    name = {p: "cityqa." + p.relative_to(SRC).with_suffix("").as_posix().replace("/", ".").removesuffix(".__init__")
            for p in MODULES}
    graph = {name[p]: _imports(p, name[p], set(name.values())) for p in MODULES}
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
