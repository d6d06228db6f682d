"""Every bot message exists in French and English; every intent is taught in both."""

from __future__ import annotations

import re
import string
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = {"fr", "en"}
DOMAIN: dict[str, Any] = yaml.safe_load((ROOT / "domain.yml").read_text("utf-8"))
RESPONSES: dict[str, list[dict[str, Any]]] = DOMAIN["responses"]
# Rasa's own intent, predicted by the FallbackClassifier, never taught by examples.
BUILT_IN_INTENTS = {"nlu_fallback"}


def variation_language(variation: dict[str, Any]) -> str | None:
    conditions = variation.get("condition") or []
    for condition in conditions:
        if condition.get("type") == "slot" and condition.get("name") == "language":
            return str(condition["value"])
    return None


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def taught_intents(language: str) -> set[str]:
    intents: set[str] = set()
    for path in (ROOT / "data" / "nlu" / language).glob("*.yml"):
        content = yaml.safe_load(path.read_text("utf-8")) or {}
        for item in content.get("nlu", []):
            examples = re.findall(r"^\s*-\s*\S", item.get("examples", ""), re.M)
            if "intent" in item and examples:
                intents.add(item["intent"])
    return intents


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_response_has_one_french_and_one_english_variation(name: str) -> None:
    variations = RESPONSES[name]
    languages = [variation_language(v) for v in variations]

    assert sorted(map(str, languages)) == sorted(LANGUAGES), name
    assert all(set(v) - {"condition"} for v in variations), "a variation says nothing"
    assert not any("channel" in v for v in variations)


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_response_variations_share_placeholders(name: str) -> None:
    by_language = {
        variation_language(v): placeholders(v.get("text", "")) for v in RESPONSES[name]
    }

    assert by_language["fr"] == by_language["en"], name


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_every_intent_has_examples_in_each_language(language: str) -> None:
    declared = set(DOMAIN["intents"]) - BUILT_IN_INTENTS

    assert declared - taught_intents(language) == set()


def test_language_slot_defaults_to_french_and_follows_the_entity() -> None:
    slot = DOMAIN["slots"]["language"]

    assert slot["initial_value"] == "fr"
    assert set(slot["values"]) == LANGUAGES
    # Outside forms only: a city or a product name typed into a form must
    # not switch the conversation's language.
    assert {
        "type": "from_entity",
        "entity": "language",
        "conditions": [{"active_loop": None}],
    } in slot["mappings"]


def examples_in(paths: list[Path]) -> set[str]:
    found: set[str] = set()
    for path in paths:
        content = yaml.safe_load(path.read_text("utf-8")) or {}
        for item in content.get("nlu", []):
            for line in item.get("examples", "").splitlines():
                if line.strip().startswith("- "):
                    found.add(line.strip()[2:].strip().lower())
    return found


def test_held_out_messages_are_never_training_examples() -> None:
    training = examples_in(sorted((ROOT / "data" / "nlu").rglob("*.yml")))
    intents_held_out = examples_in(sorted((ROOT / "tests" / "nlu").rglob("*.yml")))
    languages_held_out = yaml.safe_load(
        (ROOT / "tests" / "conversations" / "language_heldout.yml").read_text("utf-8")
    )
    language_texts = {t.lower() for texts in languages_held_out.values() for t in texts}

    assert training & intents_held_out == set()
    assert training & language_texts == set()
