"""The language component on held-out texting messages, through `/model/parse`."""

from __future__ import annotations

from pathlib import Path

import httpx
import yaml

HELD_OUT: dict[str, list[str]] = yaml.safe_load(
    (Path(__file__).parent / "language_heldout.yml").read_text("utf-8")
)
# Measured 77/80 with no wrong answer when chosen (see shopdesk_nlu/language.py);
# an abstention keeps the previous language, a wrong answer switches it.
MIN_CORRECT = 0.9
MAX_WRONG = 1


def detected_language(base_url: str, text: str) -> str | None:
    reply = httpx.post(f"{base_url}/model/parse", json={"text": text}, timeout=30.0)
    reply.raise_for_status()
    values = [e["value"] for e in reply.json()["entities"] if e["entity"] == "language"]
    assert len(values) <= 1
    return values[0] if values else None


def test_held_out_texting_messages_get_their_language(rasa_server: str) -> None:
    total = correct = 0
    wrong: list[str] = []
    for language in ("fr", "en"):
        for text in HELD_OUT[language]:
            found = detected_language(rasa_server, text)
            total += 1
            correct += found == language
            if found not in (None, language):
                wrong.append(f"{text!r} -> {found}")

    assert correct / total >= MIN_CORRECT, f"{correct}/{total}, wrong: {wrong}"
    assert len(wrong) <= MAX_WRONG, wrong


def test_messages_without_words_keep_the_previous_language(rasa_server: str) -> None:
    detected = {
        text: detected_language(rasa_server, text) for text in HELD_OUT["neutral"]
    }

    assert detected == dict.fromkeys(HELD_OUT["neutral"])
