"""Answering a policy question ("are returns free?") from the knowledge base.

The entries are embedded once per process, on the first question or at
start-up (`warm_up`); a question then costs one embedding, 15 to 20 ms.
How similar is similar enough is the shop's setting, in
`config/knowledge_base.yml`.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, field_validator

from crm.config_files import load_yaml_model
from crm.customers.models import Language
from crm.errors import InvalidInput
from crm.knowledge.encoder import Encoder, load_encoder
from crm.knowledge.index import EntryScore, LanguageIndex, Scoring
from crm.knowledge.kb import KbEntry, KnowledgeBase, load_kb
from crm.knowledge.schemas import PolicyAnswer, PolicyMatch
from crm.settings import PROJECT_ROOT

__all__ = [
    "BORROWS",
    "KbIndex",
    "KbSearchConfig",
    "answer_policy_question",
    "build_index",
    "build_languages",
    "get_index",
    "load_search_config",
    "warm_up",
]

DEFAULT_CONFIG_PATH = PROJECT_ROOT / "config" / "knowledge_base.yml"


class KbSearchConfigError(ValueError):
    """The search configuration file is missing or wrong; names file and field."""


class KbSearchConfig(BaseModel):
    """How questions are matched and when the bot is sure enough to answer.

    Sure takes two things: the best entry is close enough to the question
    (`min_score`, which keeps off-topic questions out) and the classifier
    picks it clearly enough over its neighbours (`min_probability`: two
    entries close to the question, such as the return period and the
    return cost, make a coin toss, not an answer).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    dense_weight: float = 0.6
    word_weight: float = 0.5
    use_classifier: bool = True
    min_score: Mapping[Language, float]
    min_probability: Mapping[Language, float] = dict.fromkeys(Language, 0.0)

    def is_sure(self, language: Language, best: EntryScore) -> bool:
        """Whether the best entry for a question is good enough to answer with."""
        return (
            best.similarity >= self.min_score[language]
            and best.probability >= self.min_probability[language]
        )

    @field_validator("dense_weight", "word_weight")
    @classmethod
    def _share(cls, value: float) -> float:
        if not 0 <= value <= 1:
            raise ValueError("must be between 0 and 1")
        return value

    @field_validator("min_score", "min_probability")
    @classmethod
    def _every_language(
        cls, value: Mapping[Language, float]
    ) -> Mapping[Language, float]:
        missing = sorted(set(Language) - set(value))
        if missing:
            raise ValueError(f"give a threshold for {', '.join(missing)}")
        return value

    @property
    def scoring(self) -> Scoring:
        """The ranking these settings describe."""
        return Scoring(
            dense_weight=self.dense_weight,
            word_weight=self.word_weight,
            use_classifier=self.use_classifier,
        )


def load_search_config(path: Path | None = None) -> KbSearchConfig:
    """Read and check the search settings (cached per file).

    Raises:
        KbSearchConfigError: the file is missing, not YAML, or a field is
            wrong; the message names the file and the field.
    """
    return _load_config(path or DEFAULT_CONFIG_PATH)


@lru_cache(maxsize=4)
def _load_config(path: Path) -> KbSearchConfig:
    return load_yaml_model(path, KbSearchConfig, KbSearchConfigError)


@dataclass(frozen=True)
class KbIndex:
    """The knowledge base and its index in every language."""

    kb: KnowledgeBase
    languages: Mapping[Language, LanguageIndex]


# The language whose entries' example questions an index also learns from:
# French questions, glossed into English for MiniLM, are compared with the
# English examples too (the same ids), which MiniLM reads best.
BORROWS: Mapping[Language, Language] = {Language.FR: Language.EN}


def build_index(kb: KnowledgeBase, encoder: Encoder) -> KbIndex:
    """Embed and learn every entry in every language (a few seconds)."""
    return KbIndex(kb=kb, languages=build_languages(kb.entries, encoder))


def build_languages(
    entries: Mapping[Language, Sequence[KbEntry]], encoder: Encoder
) -> dict[Language, LanguageIndex]:
    """One index per language, lenders first, then those that borrow from them."""
    indexes: dict[Language, LanguageIndex] = {}
    for language in sorted(entries, key=lambda lang: lang in BORROWS):
        lender = indexes.get(BORROWS[language]) if language in BORROWS else None
        indexes[language] = LanguageIndex(
            language, entries[language], encoder, borrow=lender
        )
    return indexes


_lock = threading.Lock()
_index: KbIndex | None = None


def get_index() -> KbIndex:
    """The process's index of `data/kb/`, built on the first call.

    Guarded by a lock: the action server answers from worker threads, and
    the first questions must not each build it.

    Raises:
        KnowledgeBaseError: an entry file is wrong (the operator's to fix).
    """
    global _index
    with _lock:
        if _index is None:
            _index = build_index(load_kb(), load_encoder())
        return _index


def warm_up() -> None:
    """Load the model and index the entries now, not on a customer's question.

    For servers to call at start-up: the first build takes 15 to 20
    seconds on a shared CPU (importing torch, then embedding the ~1,600
    example questions and titles of both languages).
    """
    get_index()


def answer_policy_question(
    question: str,
    language: Language | str,
    *,
    index: KbIndex | None = None,
    config: KbSearchConfig | None = None,
) -> PolicyAnswer:
    """Find the entry that answers a policy question, and say if it is sure.

    The entries of the customer's language answer (every entry exists in
    both); a French question is also compared, glossed into English, with
    the English entries' examples (`BORROWS`), never answered from their
    text. Below the language's score threshold, or when the
    classifier does not pick the best entry clearly enough over the others
    (`min_probability`), the answer is "not sure" (`sure=False`): a wrong
    policy answer costs more than a hand-off.

    Raises:
        InvalidInput: not a language the shop serves.
    """
    try:
        lang = Language(language)
    except ValueError:
        raise InvalidInput(f"no knowledge base in {str(language)[:8]!r}") from None
    index = index or get_index()
    config = config or load_search_config()
    threshold = config.min_score[lang]
    ranking = index.languages[lang].scores([question]).ranking(0, config.scoring)
    best = _match(index, lang, ranking[0])
    runner_up = _match(index, lang, ranking[1]) if len(ranking) > 1 else None
    sure = bool(question.strip()) and config.is_sure(lang, ranking[0])
    return PolicyAnswer(
        language=lang, sure=sure, threshold=threshold, best=best, runner_up=runner_up
    )


def _match(index: KbIndex, language: Language, scored: EntryScore) -> PolicyMatch:
    entry = index.languages[language].entries[scored.position]
    return PolicyMatch(
        entry_id=entry.id,
        title=entry.title,
        text=entry.text,
        source=entry.source,
        score=round(scored.similarity, 4),
        probability=round(scored.probability, 4),
    )
