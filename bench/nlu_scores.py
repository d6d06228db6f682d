"""Scoring NLU predictions: per-intent precision/recall/F1, entity recall, confusions.

Kept apart from `bench/eval_nlu.py` (which talks to Rasa) so that the
arithmetic is tested on its own (`tests/bench/test_nlu_scores.py`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

_ENTITY = re.compile(r"\[([^\]]+)\]\((\w+)\)")


@dataclass(frozen=True)
class Example:
    """One held-out utterance and what the model should find in it."""

    language: str
    text: str
    intent: str
    entities: tuple[tuple[str, str], ...] = field(default=())  # (entity, value)


def parse_line(line: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """Split a Rasa-annotated line into its text and its (entity, value) pairs."""
    entities = tuple((m.group(2), m.group(1)) for m in _ENTITY.finditer(line))
    return _ENTITY.sub(lambda m: m.group(1), line).strip(), entities


def load_examples(root: Path) -> list[Example]:
    """Read every `<root>/<lang>/*.yml` file (Rasa's NLU format)."""
    found = []
    for path in sorted(root.glob("*/*.yml")):
        language = path.parent.name
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if "intent" not in block:
                continue
            for raw in str(block["examples"]).splitlines():
                raw = raw.strip()
                if raw.startswith("- "):
                    text, entities = parse_line(raw[2:])
                    found.append(Example(language, text, block["intent"], entities))
    return found


@dataclass(frozen=True)
class IntentScore:
    """Precision, recall and F1 of one intent in one language."""

    intent: str
    precision: float
    recall: float
    f1: float
    support: int


def score_intents(pairs: list[tuple[str, str]]) -> list[IntentScore]:
    """Per-intent scores from (expected, predicted) pairs, for expected intents."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for expected, predicted in pairs:
        if expected == predicted:
            tp[expected] += 1
        else:
            fn[expected] += 1
            fp[predicted] += 1
    scores = []
    for intent in sorted({e for e, _ in pairs}):
        found = tp[intent] + fp[intent]
        wanted = tp[intent] + fn[intent]
        p = tp[intent] / found if found else 0.0
        r = tp[intent] / wanted if wanted else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        scores.append(IntentScore(intent, p, r, f1, wanted))
    return scores


def macro_f1(scores: list[IntentScore]) -> float:
    """The unweighted mean F1: a rare intent counts as much as a common one."""
    return sum(s.f1 for s in scores) / len(scores) if scores else 0.0


def digits(value: str) -> str:
    """An order number as the store reads it: its digits only."""
    return re.sub(r"\D", "", value)


def entity_found(expected: str, predicted: list[str], entity: str) -> bool:
    """Whether the expected value was extracted; order numbers compare by digits."""
    if entity == "order_number":
        return digits(expected) in {digits(p) for p in predicted}
    return expected.lower() in {p.lower() for p in predicted}


def confusion(pairs: list[tuple[str, str]]) -> tuple[list[str], list[list[int]]]:
    """Labels and counts[expected][predicted], labels sorted, predictions included."""
    labels = sorted({e for e, _ in pairs} | {p for _, p in pairs})
    index = {label: i for i, label in enumerate(labels)}
    counts = [[0] * len(labels) for _ in labels]
    for expected, predicted in pairs:
        counts[index[expected]][index[predicted]] += 1
    return labels, counts


def plot_confusion(
    labels: list[str], counts: list[list[int]], title: str, path: Path
) -> None:
    """Write a confusion matrix as a PNG (rows: expected, columns: predicted)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    size = max(6.0, 0.45 * len(labels) + 2)
    fig, ax = plt.subplots(figsize=(size, size))
    ax.imshow(counts, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("expected")
    ax.set_title(title)
    top = max((max(row) for row in counts), default=0)
    for i, row in enumerate(counts):
        for j, value in enumerate(row):
            if value:
                colour = "white" if value > top / 2 else "black"
                ax.text(j, i, str(value), ha="center", va="center", color=colour)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
