"""Own the answering chain: read → retrieve → answer as one LangChain Runnable (invoke, stream, batch, callbacks)."""
from __future__ import annotations

from collections.abc import Iterator

from langchain_core.runnables import Runnable, RunnableGenerator, RunnableLambda
from langchain_core.runnables.utils import AddableDict

from cityqa.answering.context import CorpusContext
from cityqa.answering.structure import named_documents
from cityqa.questions.conversation import Reading, read
from cityqa.questions.intents import Kind
from cityqa.retrieval.retriever import CityRetriever
from cityqa.seams import Answerer
from cityqa.types import Draft


def build_chain(retriever: CityRetriever, corpus: CorpusContext, answerer: Answerer, glossary, settings) -> Runnable:
    """Compose the pipeline; input {"question", "history"}, output chunks {"text"} then {"draft", "reading"}."""

    def answer(states: Iterator[dict]) -> Iterator[AddableDict]:
        for state in states:
            for piece in answerer.stream(state["reading"], state["retrieval"]):
                if isinstance(piece, Draft):
                    yield AddableDict(draft=piece, reading=state["reading"], retrieval=state["retrieval"])
                else:
                    yield AddableDict(text=piece)

    return (build_reader(retriever, corpus, glossary, settings)
            | RunnableGenerator(answer, name="answer")).with_config(run_name="cityqa")


def build_reader(retriever: CityRetriever, corpus: CorpusContext, glossary, settings) -> Runnable:
    """The chain's first two steps, read → retrieve: input {"question", "history", "documents"}, output the state."""

    def understand(inputs: dict) -> dict:
        reading = read(inputs["question"], inputs.get("history") or [], glossary, corpus.labels(),
                       settings.history_turns)
        named = tuple(named_documents(reading.query, corpus.docs)) or _document_of_the_conversation(
            reading, inputs.get("history") or [], corpus.docs)
        scope = named or tuple(inputs.get("documents") or ())
        return {**inputs, "reading": reading, "focus": focus_keys(corpus, reading), "scope": scope,
                "scope_named": bool(named)}

    def retrieve(state: dict, config) -> dict:
        reading = state["reading"]
        documents = retriever.invoke(reading.query, config, k=state.get("k") or settings.top_k, focus=state["focus"],
                                     scope=state["scope"], language=reading.answer_language())
        retrieval = retriever.as_retrieval(reading.question, documents, state["focus"])
        retrieval.language = reading.answer_language()
        if reading.same_source and state["focus"]:  # "the same paragraph": only the one the prior answer quoted
            retrieval.hits = [h for h in retrieval.hits if h.key in state["focus"]] or retrieval.hits
        retrieval.context = reading.query if reading.dependent else ""
        retrieval.scope, retrieval.scope_named = list(state["scope"]), state["scope_named"]
        return {**state, "retrieval": retrieval}

    return RunnableLambda(understand, name="read_question") | RunnableLambda(retrieve, name="retrieve")


def focus_keys(corpus: CorpusContext, reading: Reading) -> tuple[str, ...]:
    """Paragraph keys the question names by structure: its items, or every item for a list, in order."""
    from cityqa.answering.structure import pick_document

    intent = reading.intent
    if reading.same_source and reading.prior:  # the paragraph the prior answer led with
        prior = corpus.search.search(reading.prior.query, 1, focus=focus_keys(corpus, reading.prior))
        return tuple(h.key for h in prior.hits[:1])
    if intent.kind not in (Kind.ITEM, Kind.COMPARISON, Kind.LIST_ITEMS, Kind.COUNT) or not corpus.docs:
        return ()
    doc = pick_document(reading.query, corpus.docs, [], need_items=True)
    if doc is None:
        return ()
    numbers = intent.items if intent.kind in (Kind.ITEM, Kind.COMPARISON) else tuple(doc.items)
    return tuple(key for n in numbers if n in doc.items for key in doc.items[n].keys)


def _document_of_the_conversation(reading, history: list[dict], docs) -> tuple[str, ...]:
    """"When was this note published?": a question about the document itself means the one the last turns named,
    else the one the last answer quoted (an assistant turn's "sources")."""
    if reading.intent.kind not in (Kind.AUTHORS, Kind.METADATA):
        return ()
    asked = [str(t.get("content", "")) for t in history if isinstance(t, dict) and t.get("role") == "user"]
    for turn in reversed(asked[-3:]):
        named = named_documents(turn, docs)
        if named:
            return tuple(named)
    answered = [t for t in history if isinstance(t, dict) and t.get("role") == "assistant"]
    cited = answered[-1].get("sources") if answered else None  # the documents the last answer quoted
    if isinstance(cited, list) and len(set(map(str, cited))) == 1 and str(cited[0]) in docs:
        return (str(cited[0]),)
    return ()
