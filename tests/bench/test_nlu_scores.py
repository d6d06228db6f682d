from pathlib import Path

import pytest

from bench.nlu_scores import (
    confusion,
    entity_found,
    load_examples,
    macro_f1,
    parse_line,
    plot_confusion,
    score_intents,
)


def test_annotated_line_gives_text_and_entities() -> None:
    text, entities = parse_line("ou est ma commande [EB-104233](order_number) svp")
    assert text == "ou est ma commande EB-104233 svp"
    assert entities == (("order_number", "EB-104233"),)


def test_scores_match_a_hand_computed_case() -> None:
    pairs = [("a", "a"), ("a", "b"), ("b", "b"), ("b", "b")]
    a, b = score_intents(pairs)
    assert (a.precision, a.recall) == (1.0, 0.5)
    assert b.precision == pytest.approx(2 / 3)
    assert b.recall == 1.0
    assert macro_f1([a, b]) == pytest.approx((2 / 3 + 0.8) / 2)


def test_order_numbers_are_compared_by_their_digits() -> None:
    assert entity_found("#104233", ["EB-104233"], "order_number")
    assert not entity_found("104233", ["104234"], "order_number")
    assert entity_found("Jo@Example.fr", ["jo@example.fr"], "email")


def test_confusion_matrix_is_written_as_png(tmp_path: Path) -> None:
    labels, counts = confusion([("greet", "greet"), ("greet", "goodbye")])
    assert labels == ["goodbye", "greet"]
    assert counts == [[0, 0], [1, 1]]
    png = tmp_path / "confusion.png"
    plot_confusion(labels, counts, "test", png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_held_out_set_covers_both_languages() -> None:
    examples = load_examples(Path(__file__).resolve().parents[1] / "nlu")
    assert {e.language for e in examples} == {"en", "fr"}
    assert all(e.text and e.intent for e in examples)
