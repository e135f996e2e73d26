"""The learned scorer: features read what a sentence states, probabilities follow the weights, the file reproduces."""
from __future__ import annotations

import json

import numpy as np
import pytest

from cityqa.answering.scoring import CALIBRATION, FEATURES, Candidate, SentenceScorer, candidate_features, load_scorer
from cityqa.types import Hit, Passage


def candidate(text: str, key: str = "d#p.1", index: int = 0, language: str = "en", rank: int = 0) -> Candidate:
    """A candidate sentence of paragraph key."""
    passage = Passage(f"{key}|{language}|{index}", text, {"language": language, "index": index,
                                                           "paragraph_key": key})
    return Candidate(Hit(key, 1.0, {language: [passage]}, dense=0.8), passage, rank)


def weights(**coef) -> dict:
    """Weights with unit scale: coef names the features that count."""
    return {"features": list(FEATURES), "mean": [0.0] * len(FEATURES), "scale": [1.0] * len(FEATURES),
            "coef": [coef.get(f, 0.0) for f in FEATURES], "intercept": 0.0,
            "refusal_threshold": {"default": 0.4, "en": 0.3}, "second_sentence_ratio": 0.8,
            "cross_language_shift": {"en": {"zh": 0.05}}}


def featured(question: str, texts: list[str], sims: list[float], asks: str = "", unknown: int = 0):
    """Candidates of the texts with their features, the question vector along the first axis."""
    found = [candidate(t, index=i) for i, t in enumerate(texts)]
    vectors = {c.sentence.chunk_id: np.array([s, np.sqrt(1 - s * s)]) for c, s in zip(found, sims)}
    candidate_features(question, asks, np.array([1.0, 0.0]), found, vectors, unknown, {})
    return found


def test_features_read_similarity_words_values_and_numbers():
    found = featured("How many people did the ferry carry in 2024?",
                     ["The first ferry leaves at 5:30.", "In 2024 the ferry carried 400 people."], [0.9, 0.8],
                     asks="number")
    first, second = (c.features for c in found)
    assert first["similarity"] == pytest.approx(0.9) and second["similarity_gap"] == pytest.approx(-0.1)
    assert second["lexical"] > first["lexical"] and second["shared_numbers"] == 1.0 and first["shared_numbers"] == 0
    assert first["value_asked"] == second["value_asked"] == 1.0 and second["value_stated"] == 1.0
    assert first["neighbour_similarity"] == pytest.approx(-0.1) and second["position"] == 1.0


def test_probability_follows_the_weights_and_the_threshold_is_per_language_pair():
    found = featured("Who built the lagoon?", ["The council built the lagoon.", "Tides are strong."], [0.85, 0.86])
    scorer = SentenceScorer(weights(lexical=4.0))
    scorer.score(found)
    assert found[0].probability > found[1].probability == 0.5  # words stated outweigh a nearer vector here
    assert SentenceScorer(weights(similarity=-1.0)).threshold("en", "zh") == 0.3
    assert SentenceScorer(weights()).threshold("zh", "zh") == 0.4
    assert SentenceScorer(weights()).shift_for("en") == {"zh": 0.05}


def test_an_unknown_name_in_the_question_is_a_feature_every_candidate_carries():
    found = featured("What did Zorblax build?", ["The council built the lagoon."], [0.8], unknown=3)
    assert found[0].features["unknown_names"] == 2.0  # capped


def test_an_embedder_without_a_fitted_scorer_uses_weights_blind_to_the_similarity_scale():
    from cityqa.tools.train_scorer import EMBEDDER_SCALE

    weights = load_scorer("no-such-embedder").weights
    assert weights == json.loads((CALIBRATION / "scorer-any.json").read_text(encoding="utf-8"))
    assert all(weights["coef"][FEATURES.index(name)] == 0 for name in EMBEDDER_SCALE)
    e5 = load_scorer("e5-small-q4").weights["coef"]
    assert any(e5[FEATURES.index(name)] != 0 for name in EMBEDDER_SCALE)  # e5's own weights read its cosine scale


def test_the_shipped_weights_name_every_feature_and_a_threshold():
    shipped = json.loads((CALIBRATION / "scorer-e5-small-q4.json").read_text(encoding="utf-8"))
    assert shipped["features"] == list(FEATURES)
    assert len(shipped["coef"]) == len(shipped["mean"]) == len(shipped["scale"]) == len(FEATURES)
    assert all(0 < shipped["refusal_threshold"][base] < 1 for base in ("en", "zh"))


@pytest.mark.parametrize("name", ["scorer-e5-small-q4.json", "scorer-any.json"])
def test_the_shipped_weights_are_reproduced_from_the_committed_feature_tables(name):
    from cityqa.tools.train_scorer import DATASETS, FEATURE_TABLES, TABLES, WEIGHTS_FILES, load_tables, recipe

    expected = [FEATURE_TABLES / (f"{split}-{name}-60-400.npz" if name in DATASETS else f"{split}-{name}.npz")
                for split in ("train", "dev") for name in TABLES]
    assert all(path.exists() for path in expected)  # nothing is re-collected here: that needs the real model
    weights, _ = recipe(load_tables(FEATURE_TABLES, 60, 400), WEIGHTS_FILES[name])
    shipped = json.loads((CALIBRATION / name).read_text(encoding="utf-8"))
    assert weights.keys() == shipped.keys()
    for key in ("coef", "mean", "scale"):
        assert weights[key] == pytest.approx(shipped[key], abs=1e-4)
        assert weights["answerability"][key] == pytest.approx(shipped["answerability"][key], abs=1e-4)
    assert {k: weights[k] for k in ("refusal_threshold", "second_sentence_ratio", "paragraphs")} == {
        k: shipped[k] for k in ("refusal_threshold", "second_sentence_ratio", "paragraphs")}
