"""Score the trained NLU model on the held-out set in `tests/nlu/`, per language.

Prints per-intent precision, recall and F1, the macro-F1 of each language,
entity extraction (order numbers, e-mails, postcodes) and how often the
detected language is right; writes a confusion matrix PNG per language to
`var/eval/`. Uses the Rasa server at `--rasa-url` (default: the one
`make run` starts); when none answers, starts one for the run.

    python -m bench.eval_nlu [--rasa-url URL]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.nlu_scores import (
    Example,
    confusion,
    entity_found,
    load_examples,
    macro_f1,
    plot_confusion,
    score_intents,
)
from bot.stack import temporary_rasa
from crm.settings import PROJECT_ROOT, VAR_DIR

DEFAULT_RASA_URL = "http://127.0.0.1:5005"  # where `make run` starts Rasa
HELDOUT = PROJECT_ROOT / "tests" / "nlu"
OUT_DIR = VAR_DIR / "eval"


def evaluate(rasa_url: str, examples: list[Example]) -> int:
    """Parse every example, print the tables, write the PNGs; return 0."""
    pairs: dict[str, list[tuple[str, str]]] = {}
    entity_hits: Counter[tuple[str, str]] = Counter()
    entity_total: Counter[tuple[str, str]] = Counter()
    language_hits: Counter[str] = Counter()
    with httpx.Client(base_url=rasa_url, timeout=30) as client:
        for example in examples:
            parsed = client.post("/model/parse", json={"text": example.text}).json()
            predicted = (parsed.get("intent") or {}).get("name") or "none"
            pairs.setdefault(example.language, []).append((example.intent, predicted))
            found: dict[str, list[str]] = {}
            for entity in parsed.get("entities", []):
                found.setdefault(entity["entity"], []).append(str(entity["value"]))
            for name, value in example.entities:
                key = (example.language, name)
                entity_total[key] += 1
                if entity_found(value, found.get(name, []), name):
                    entity_hits[key] += 1
                else:
                    print(
                        f"  entity miss [{example.language}] {example.text!r}: "
                        f"{name}={value} not in {found.get(name, [])}"
                    )
            if found.get("language", [None])[0] == example.language:
                language_hits[example.language] += 1
            if predicted != example.intent:
                print(
                    f"  intent miss [{example.language}] {example.text!r}: "
                    f"{example.intent} -> {predicted}"
                )
    for language, language_pairs in sorted(pairs.items()):
        scores = score_intents(language_pairs)
        print(f"\n{language}: {len(language_pairs)} examples")
        print(f"  {'intent':<18}{'precision':>10}{'recall':>8}{'f1':>7}{'n':>5}")
        for s in scores:
            print(
                f"  {s.intent:<18}{s.precision:>10.2f}{s.recall:>8.2f}"
                f"{s.f1:>7.2f}{s.support:>5}"
            )
        print(f"  macro-F1 {macro_f1(scores):.3f}")
        for (lang, name), total in sorted(entity_total.items()):
            if lang == language:
                hits = entity_hits[(lang, name)]
                print(f"  {name} extracted: {hits}/{total} ({hits / total:.3f})")
        print(
            f"  language detected right: {language_hits[language]}"
            f"/{len(language_pairs)}"
        )
        labels, counts = confusion(language_pairs)
        png = OUT_DIR / f"confusion_{language}.png"
        plot_confusion(labels, counts, f"intents, {language} (held-out)", png)
        print(f"  confusion matrix: {png}")
    return 0


@contextmanager
def rasa_for_eval(url: str | None) -> Iterator[str]:
    """The given or default Rasa server if it answers, else a temporary one."""
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
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rasa-url", default=None)
    args = parser.parse_args(argv)
    examples = load_examples(HELDOUT)
    with rasa_for_eval(args.rasa_url) as url:
        print(f"evaluating {len(examples)} held-out examples against {url}")
        return evaluate(url, examples)


if __name__ == "__main__":
    sys.exit(main())
