"""Score the policy knowledge base on held-out customer questions, per language.

For each question set (`tests/nlu/kb_heldout.yml`, the final test, and
`tests/nlu/kb_dev.yml`, the set the entries and settings were tuned on) and
each language, prints how often the right entry comes first with MiniLM
alone, with MiniLM and character n-grams, and with the entry classifier on
top (the setting `config/knowledge_base.yml` uses); then, for that setting,
how many policy questions are answered (score over the threshold) and
right, and how many off-topic questions come back "not sure". Target: the
right entry first for at least 90 % of the held-out questions per language.

    python -m bench.eval_kb [--set heldout|dev|all] [--misses] [--sweep]
"""

from __future__ import annotations

import argparse
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from crm.customers.models import Language
from crm.knowledge.encoder import load_encoder
from crm.knowledge.index import LanguageIndex, QuestionScores, Scoring
from crm.knowledge.kb import load_kb
from crm.knowledge.search import KbSearchConfig, build_index, load_search_config
from crm.settings import PROJECT_ROOT

SETS = {
    "heldout": PROJECT_ROOT / "tests" / "nlu" / "kb_heldout.yml",
    "dev": PROJECT_ROOT / "tests" / "nlu" / "kb_dev.yml",
}
TARGET = 0.90


@dataclass(frozen=True)
class QuestionSet:
    """Labelled policy questions and off-topic ones, in one language."""

    policy: list[tuple[str, str]]  # (question, expected entry id)
    off_topic: list[str]


def load_sets(path: Path) -> dict[Language, QuestionSet]:
    """Read a question file: per language, `policy` (id -> questions), `off_topic`."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        Language(language): QuestionSet(
            policy=[
                (str(question), str(entry_id))
                for entry_id, questions in block["policy"].items()
                for question in questions
            ],
            off_topic=[str(q) for q in block.get("off_topic") or []],
        )
        for language, block in raw.items()
    }


def variants(config: KbSearchConfig) -> dict[str, Scoring]:
    """The rankings compared: each part added to the previous one."""
    return {
        "MiniLM": Scoring(dense_weight=1.0, use_classifier=False),
        "+ n-grams": Scoring(dense_weight=config.dense_weight, use_classifier=False),
        "+ classifier": config.scoring,
    }


def evaluate(
    name: str,
    index: LanguageIndex,
    questions: QuestionSet,
    config: KbSearchConfig,
    *,
    misses: bool,
    sweep: bool,
) -> None:
    """Print one language's line of a question set (and its misses if asked)."""
    language = index.language
    ids = [entry.id for entry in index.entries]
    texts = [q for q, _ in questions.policy] + questions.off_topic
    started = time.perf_counter()
    scores = index.scores(texts)
    per_question_ms = (time.perf_counter() - started) * 1000 / max(1, len(texts))
    n = len(questions.policy)
    expected = [ids.index(entry_id) for _, entry_id in questions.policy]
    cells = []
    for label, scoring in variants(config).items():
        right = sum(
            scores.ranking(row, scoring)[0].position == expected[row]
            for row in range(n)
        )
        cells.append(f"{label} {right / n:.3f}")
    threshold = config.min_score[language]
    chosen = config.scoring
    answered, wrong, off_unsure = _outcomes(scores, chosen, expected, n, threshold)
    off = len(questions.off_topic)
    print(
        f"{name:8}{language.value:4}{n:4}  "
        + "   ".join(cells)
        + f"   | t={threshold:.2f}"
        f" answered&right {answered / n:.3f}, answered wrong {wrong / n:.3f}"
        f" | off-topic not sure {off_unsure}/{off}"
        f" | {per_question_ms:.0f} ms/question"
    )
    if misses:
        _print_misses(scores, chosen, questions, ids, expected, threshold)
    if sweep:
        for t in np.arange(threshold - 0.1, threshold + 0.1001, 0.02):
            a, w, u = _outcomes(scores, chosen, expected, n, float(t))
            print(
                f"      t={t:.2f}: answered&right {a / n:.3f},"
                f" answered wrong {w / n:.3f}, off-topic not sure {u}/{off}"
            )


def _outcomes(
    scores: QuestionScores,
    scoring: Scoring,
    expected: list[int],
    n: int,
    threshold: float,
) -> tuple[int, int, int]:
    """(answered and right, answered and wrong, off-topic not sure) counts."""
    answered = wrong = off_unsure = 0
    for row in range(scores.dense.shape[0]):
        best = scores.ranking(row, scoring)[0]
        sure = best.similarity >= threshold
        if row >= n:
            off_unsure += not sure
        elif sure and best.position == expected[row]:
            answered += 1
        elif sure:
            wrong += 1
    return answered, wrong, off_unsure


def _print_misses(
    scores: QuestionScores,
    scoring: Scoring,
    questions: QuestionSet,
    ids: list[str],
    expected: list[int],
    threshold: float,
) -> None:
    n = len(questions.policy)
    for row, (text, want) in enumerate(questions.policy):
        best = scores.ranking(row, scoring)[0]
        if best.position != expected[row]:
            print(
                f"      miss {text!r}: {want} -> {ids[best.position]}"
                f" (score {best.similarity:.2f})"
            )
        elif best.similarity < threshold:
            print(f"      unsure {text!r}: {want} (score {best.similarity:.2f})")
    for row, text in enumerate(questions.off_topic, n):
        best = scores.ranking(row, scoring)[0]
        if best.similarity >= threshold:
            print(
                f"      off-topic answered {text!r}: {ids[best.position]}"
                f" (score {best.similarity:.2f})"
            )


def main(argv: list[str] | None = None) -> int:
    """Build the index once, score the chosen question sets; return 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=[*SETS, "all"], default="all")
    parser.add_argument("--misses", action="store_true", help="list each miss")
    parser.add_argument("--sweep", action="store_true", help="try thresholds around")
    args = parser.parse_args(argv)
    config = load_search_config()
    kb = load_kb()
    started = time.perf_counter()
    index = build_index(kb, load_encoder())
    print(
        f"{len(kb.ids)} entries in {', '.join(lang.value for lang in kb.entries)};"
        f" model and index ready in {time.perf_counter() - started:.1f} s;"
        f" right entry first (target {TARGET:.0%} per language on heldout):"
    )
    chosen = [*SETS] if args.set == "all" else [args.set]
    for name in chosen:
        for language, questions in load_sets(SETS[name]).items():
            evaluate(
                name,
                index.languages[language],
                questions,
                config,
                misses=args.misses,
                sweep=args.sweep,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
