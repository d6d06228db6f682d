"""Score the survey comment topic tagger on labelled comments, per language.

For each set and language, prints each topic's precision, recall and F1,
and the micro-F1 over all topics (target: 0.80 on the held-out set in each
language); then how many comments a second the tagger handles, in one batch
and one at a time (the demo seeder tags in batches, the live path one
comment as it arrives), with its clause cache off so that every comment
costs what a new one does (`--compare-float32` times the knowledge base's
float32 model too).

Sets: `dev` (`tests/crm/survey_comments_dev.yml`, used to choose the
anchors and settings of `config/survey_topics.yml`), `heldout`
(`tests/crm/survey_comments_heldout.yml`, written first and never tuned
on: the honest figure). `--sweep` prints micro-F1 for a range of global
thresholds (tune on dev only); `--misses` lists the comments tagged wrong.

    python -m bench.topic_eval [--set dev|heldout|both] [--misses] [--sweep]
                               [--compare-float32]
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from crm.knowledge.encoder import Encoder, load_encoder
from crm.settings import PROJECT_ROOT
from crm.surveys.topic_encoder import load_topic_encoder
from crm.surveys.topics import CommentTagger, TopicConfig, TopicScore, load_topics

SETS = {
    "dev": PROJECT_ROOT / "tests" / "crm" / "survey_comments_dev.yml",
    "heldout": PROJECT_ROOT / "tests" / "crm" / "survey_comments_heldout.yml",
}
TARGET = 0.80
_SWEEP = [round(0.15 + 0.05 * i, 2) for i in range(10)]


@dataclass(frozen=True)
class LabelledComment:
    """A survey comment and the topics a person gave it."""

    text: str
    topics: frozenset[str]


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives of some tags."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        """Share of the tags given that were right (1 when none was given)."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """Share of the expected tags that were given (1 when none expected)."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall, from the counts."""
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else 1.0


def load_comments(path: Path) -> dict[str, list[LabelledComment]]:
    """Read a labelled set: per language, a list of `text` and `topics`."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {
        str(language): [
            LabelledComment(str(item["text"]), frozenset(item["topics"] or []))
            for item in items
        ]
        for language, items in raw.items()
    }


def per_topic(
    topics: Iterable[str],
    comments: Sequence[LabelledComment],
    predicted: Sequence[Iterable[str]],
) -> dict[str, Counts]:
    """Each topic's counts over some comments and the topics given them."""
    out: dict[str, Counts] = {}
    for topic in topics:
        counts = Counts()
        for comment, given in zip(comments, predicted, strict=True):
            got, want = topic in set(given), topic in comment.topics
            counts += Counts(int(got and want), int(got and not want), int(want > got))
        out[topic] = counts
    return out


def micro(counts: Mapping[str, Counts]) -> Counts:
    """All topics' counts added up: micro-F1 weighs every tag the same."""
    return sum(counts.values(), Counts())


def tag_names(tags: Sequence[Sequence[TopicScore]]) -> list[set[str]]:
    """Just the topics of the tagger's answers."""
    return [{score.topic for score in comment} for comment in tags]


def micro_f1(tagger: CommentTagger, comments: Sequence[LabelledComment]) -> float:
    """The tagger's micro-F1 over some labelled comments."""
    predicted = tag_names(tagger.tag([c.text for c in comments]))
    return micro(per_topic(tagger.topics, comments, predicted)).f1


def _print_set(
    name: str,
    language: str,
    tagger: CommentTagger,
    comments: Sequence[LabelledComment],
    misses: bool,
) -> None:
    tags = tagger.tag([c.text for c in comments])
    counts = per_topic(tagger.topics, comments, tag_names(tags))
    print(f"{name} {language} ({len(comments)} comments)     P     R    F1  tags")
    for topic, c in [*counts.items(), ("micro", micro(counts))]:
        print(
            f"  {topic:24}{c.precision:6.2f}{c.recall:6.2f}{c.f1:6.2f}{c.tp + c.fn:6}"
        )
    if misses:
        for comment, given in zip(comments, tags, strict=True):
            got = {s.topic for s in given}
            if got != comment.topics:
                shown = ", ".join(f"{s.topic} {s.score:.2f}" for s in given)
                print(f"    {comment.text!r}: want {sorted(comment.topics)}")
                print(f"        got [{shown}]")


def _print_sweep(
    config: TopicConfig, sets: Mapping[str, dict[str, list[LabelledComment]]]
) -> None:
    """Micro-F1 per global threshold: tag once at a low one, then filter."""
    low = config.model_copy(
        update={
            "default_threshold": min(_SWEEP),
            "topics": {
                name: topic.model_copy(update={"threshold": None})
                for name, topic in config.topics.items()
            },
        }
    )
    tagger = CommentTagger(low)
    for name, by_language in sets.items():
        for language, comments in by_language.items():
            tags = tagger.tag([c.text for c in comments])
            cells = []
            for threshold in _SWEEP:
                kept = [{s.topic for s in t if s.score >= threshold} for t in tags]
                f1 = micro(per_topic(tagger.topics, comments, kept)).f1
                cells.append(f"{threshold:.2f}:{f1:.3f}")
            print(f"sweep {name} {language}  " + " ".join(cells))


def _print_speed(
    config: TopicConfig, texts: Sequence[str], encoder: Encoder, name: str
) -> None:
    """Comments a second, every comment new to the tagger (cache off).

    Wall-clock rates depend on what else the machine runs; the CPU-time
    rate (comments per second of this process's CPU, on one thread) is
    what a free core would give.
    """
    tagger = CommentTagger(config, encoder=encoder, cache_size=0)
    tagger.tag(texts[:8])  # first calls pay torch's one-time set-up
    wall, cpu = [], []
    for _ in range(3):
        start, start_cpu = time.perf_counter(), time.process_time()
        tagger.tag(texts)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    start, start_cpu = time.perf_counter(), time.process_time()
    for text in texts:
        tagger.tag([text])
    single, single_cpu = time.perf_counter() - start, time.process_time() - start_cpu
    n = len(texts)
    print(
        f"speed, {name} ({n} distinct comments, load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores):\n"
        f"  one batch: {n / min(wall):.0f} comments/s wall (best of 3), "
        f"{n / min(cpu):.0f} per CPU-second\n"
        f"  one at a time: {1000 * single / n:.1f} ms each wall, "
        f"{1000 * single_cpu / n:.1f} ms CPU"
    )


def main(argv: list[str] | None = None) -> int:
    """Print the scores; exit 1 if a language misses the held-out target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["dev", "heldout", "both"], default="both")
    parser.add_argument("--misses", action="store_true", help="list wrong tags")
    parser.add_argument("--sweep", action="store_true", help="threshold sweep")
    parser.add_argument(
        "--compare-float32",
        action="store_true",
        help="also time the knowledge base's float32 model",
    )
    args = parser.parse_args(argv)
    names = ["dev", "heldout"] if args.set == "both" else [args.set]
    sets = {name: load_comments(SETS[name]) for name in names}
    config = load_topics()
    tagger = CommentTagger(config)
    missed = False
    for name, by_language in sets.items():
        for language, comments in by_language.items():
            _print_set(name, language, tagger, comments, args.misses)
            if name == "heldout" and micro_f1(tagger, comments) < TARGET:
                missed = True
    if args.sweep:
        _print_sweep(config, sets)
    texts = list(
        dict.fromkeys(c.text for s in sets.values() for cs in s.values() for c in cs)
    )
    _print_speed(config, texts, load_topic_encoder(), "tagger's encoder")
    if args.compare_float32:
        _print_speed(config, texts, load_encoder(), "shared float32 MiniLM")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
