"""Score the trained NLU model on the held-out set in `tests/nlu/`, per language.

Prints per-intent precision, recall and F1 and the macro-F1 of each language,
and how often the detected language is right. Uses the Rasa server at
`SHOPDESK_RASA_URL` (the one `make run` starts); when none answers, starts
one on a free port for the run and stops it afterwards.

    python -m bench.eval_nlu [--rasa-url URL]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import yaml

from bot.stack import temporary_rasa
from crm.settings import PROJECT_ROOT

DEFAULT_RASA_URL = "http://127.0.0.1:5005"  # where `make run` starts Rasa
HELDOUT = PROJECT_ROOT / "tests" / "nlu"
_ENTITY = re.compile(r"\[([^\]]+)\]\((\w+)\)|\[([^\]]+)\]\{[^}]*\}")


@dataclass(frozen=True)
class Example:
    """One held-out utterance and what the model should find in it."""

    language: str
    text: str
    intent: str


def load_examples(root: Path = HELDOUT) -> list[Example]:
    """Read every `tests/nlu/<lang>/*.yml` file (Rasa's NLU format)."""
    found = []
    for path in sorted(root.glob("*/*.yml")):
        language = path.parent.name
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block["examples"]).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    text = _ENTITY.sub(lambda m: m.group(1) or m.group(3), line[2:])
                    found.append(Example(language, text.strip(), block["intent"]))
    return found


@dataclass(frozen=True)
class IntentScore:
    """Precision, recall and F1 of one intent in one language."""

    intent: str
    precision: float
    recall: float
    f1: float
    support: int


def score(pairs: list[tuple[str, str]]) -> list[IntentScore]:
    """Per-intent scores from (expected, predicted) pairs."""
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
        p = tp[intent] / (tp[intent] + fp[intent]) if tp[intent] + fp[intent] else 0.0
        r = tp[intent] / (tp[intent] + fn[intent]) if tp[intent] + fn[intent] else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        scores.append(IntentScore(intent, p, r, f1, tp[intent] + fn[intent]))
    return scores


def evaluate(rasa_url: str, examples: list[Example]) -> int:
    """Parse every example, print the tables; return 0 (figures, not a gate)."""
    by_language: dict[str, list[tuple[str, str]]] = {}
    language_hits: Counter[str] = Counter()
    with httpx.Client(base_url=rasa_url, timeout=30) as client:
        for example in examples:
            parsed = client.post("/model/parse", json={"text": example.text}).json()
            predicted = (parsed.get("intent") or {}).get("name") or "none"
            by_language.setdefault(example.language, []).append(
                (example.intent, predicted)
            )
            entities = parsed.get("entities", [])
            detected = [e["value"] for e in entities if e["entity"] == "language"]
            if detected and detected[0] == example.language:
                language_hits[example.language] += 1
            if predicted != example.intent:
                print(
                    f"  miss [{example.language}] {example.text!r}: "
                    f"{example.intent} -> {predicted}"
                )
    for language, pairs in sorted(by_language.items()):
        scores = score(pairs)
        print(f"\n{language}: {len(pairs)} examples")
        print(f"  {'intent':<18}{'precision':>10}{'recall':>8}{'f1':>7}{'n':>5}")
        for s in scores:
            print(
                f"  {s.intent:<18}{s.precision:>10.2f}{s.recall:>8.2f}"
                f"{s.f1:>7.2f}{s.support:>5}"
            )
        macro = sum(s.f1 for s in scores) / len(scores)
        print(f"  macro-F1 {macro:.3f}")
        print(f"  language detected right: {language_hits[language]}/{len(pairs)}")
    return 0


@contextmanager
def rasa_for_eval(url: str | None) -> Iterator[str]:
    """The given or configured Rasa server if it answers, else a temporary one."""
    url = url or DEFAULT_RASA_URL
    try:
        httpx.get(f"{url}/status", timeout=2.0).raise_for_status()
    except httpx.HTTPError:
        print(f"no Rasa server at {url}; starting one for this evaluation...")
    else:
        yield url
        return
    with tempfile.TemporaryDirectory(prefix="shopdesk-eval-") as tmp:
        workdir = Path(tmp)
        with temporary_rasa(f"sqlite:///{workdir / 'eval.db'}", workdir) as started:
            yield started


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rasa-url", default=None)
    args = parser.parse_args(argv)
    examples = load_examples()
    with rasa_for_eval(args.rasa_url) as url:
        print(f"evaluating {len(examples)} held-out examples against {url}")
        return evaluate(url, examples)


if __name__ == "__main__":
    sys.exit(main())
