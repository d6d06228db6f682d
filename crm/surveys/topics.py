"""Tagging survey comments with topics, by meaning, in French and English.

"colis arrivé avec 5 jours de retard et carton tout écrasé" is about the
delivery time and the packaging; "ok merci" is about nothing. A comment is
cut into clauses (at punctuation and at "mais", "et", "but", "and"...),
since one comment often judges several things; each clause is classified
among the topics of `config/survey_topics.yml` and "no topic" (`neutral`),
and the comment gets every topic one of its clauses gives with at least
the topic's threshold probability.

The classifier is a logistic regression learnt, when the tagger is built,
from the topics' anchor phrases, both languages in one classifier (callers
do not pass the comment's language, and some customers mix them). Its
features are MiniLM's sentence embedding (the meaning, strong in English)
next to character 2-5-gram TF-IDF (the words, which carry French, where
English-only MiniLM is weak, and survive typos and missing accents); the
n-grams see folded text (no accents), as MiniLM's own tokenizer does.
Measured on the
development comments: MiniLM similarity alone with one threshold gave
micro-F1 0.80 in French and 0.83 in English; the classifier on both
feature sets 0.90 and 0.98, and 0.89 and 0.99 on the held-out comments
(`python -m bench.topic_eval`, README "Survey comment topics").
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from crm.knowledge.encoder import Encoder
from crm.knowledge.text import fold
from crm.surveys.topic_config import (
    SurveyTopicsError,
    TopicConfig,
    TopicDefinition,
    load_topics,
)
from crm.surveys.topic_encoder import load_topic_encoder

__all__ = [
    "CommentTagger",
    "SurveyTopicsError",
    "TopicConfig",
    "TopicDefinition",
    "TopicScore",
    "clauses",
    "default_tagger",
    "load_topics",
]

Probabilities = NDArray[np.float64]

_NGRAMS = (2, 5)  # character n-grams within words, padded by spaces
# Chosen by 5-fold cross-validation over the anchor phrases (C 3 and 10
# level, 30 and 100 lower in French) and on the development comments.
_CLASSIFIER_C = 10.0
_CACHE_SIZE = 4096  # clauses ("livraison rapide", "merci") recur across comments
# A comment is a few lines; a pasted letter must not hold a worker for seconds.
_MAX_CHARS = 2000

# Where one judgement ends and the next begins, on folded text: sentence
# punctuation (not a decimal point or comma: "9,90"), a dash between
# spaces, and the connectors customers join two judgements with. Not
# "aussi", "plus" or "yet": "pas aussi grand", "plus petit que prévu" and
# "not arrived yet" are one judgement each; nor texting's "n" for "and",
# which is also French typed without its apostrophe ("le colis n est pas
# arrivé" must keep its negation).
_CONNECTORS = (
    "mais|et|par contre|en revanche|pourtant|cependant|neanmoins|toutefois"
    "|sauf que|en plus|de plus|alors que|sinon|car|parce que|puis|ensuite"
    "|but|and|though|tho|however|although|whereas|while|except|because"
    "|apart from|also|otherwise"
)
_SPLIT = re.compile(rf"[;:!?()\[\]\n]+|[.,](?!\d)|\s-+\s|&|\s(?:{_CONNECTORS})(?=\s)")
_LETTER = re.compile(r"[a-z]")


class TopicScore(BaseModel):
    """A topic a comment was tagged with, and how sure the tagger was (0-1)."""

    model_config = ConfigDict(frozen=True)

    topic: str
    score: float


def clauses(comment: str) -> list[str]:
    """The judgements a comment is made of, folded (lower case, no accents).

    "livraison rapide mais carton écrasé" gives "livraison rapide" and
    "carton ecrase": classified whole, the two topics would share one
    probability and each could fall under its threshold.
    """
    parts = _SPLIT.split(fold(comment[:_MAX_CHARS]))
    return [" ".join(part.split()) for part in parts if _LETTER.search(part)]


class CommentTagger:
    """Tags comments with the topics of a `TopicConfig`, learnt when built.

    Building embeds every anchor phrase (~450 in the shipped file: a few
    seconds, on top of loading the model) and fits the classifier (under a
    second); tagging then costs one embedding per clause not seen lately.
    `encoder` is `load_topic_encoder()` unless given (the bench compares
    models with it); `cache_size` is how many clauses' results are kept.
    """

    def __init__(
        self,
        config: TopicConfig | None = None,
        *,
        encoder: Encoder | None = None,
        cache_size: int = _CACHE_SIZE,
    ) -> None:
        # Imported here: scikit-learn and scipy take a second to import, and
        # only the taggers and the knowledge base need them.
        from scipy.sparse import csr_matrix, hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.config = config or load_topics()
        self.topics = tuple(self.config.topics)
        self._thresholds = np.array([self.config.threshold(t) for t in self.topics])
        self._encoder = encoder or load_topic_encoder()
        self._csr: Any = csr_matrix
        self._hstack: Any = hstack
        texts, labels = _training_set(self.config)
        self._ngrams: Any = TfidfVectorizer(
            analyzer="char_wb", ngram_range=_NGRAMS, sublinear_tf=True
        )
        ngrams = self._ngrams.fit_transform(texts)
        self._classifier: Any = LogisticRegression(C=_CLASSIFIER_C, max_iter=2000)
        self._classifier.fit(self._features(ngrams, self._encoder(texts)), labels)
        self._cache_size = cache_size
        self._cache: OrderedDict[str, Probabilities] = OrderedDict()
        self._lock = threading.Lock()

    def tag(self, comments: Sequence[str]) -> list[list[TopicScore]]:
        """The topics of each comment, surest first; none for a blank comment.

        Batch the comments: the clauses of the whole batch go through the
        model in one call, and each distinct clause once.

        Raises:
            TypeError: one string was passed instead of a list of comments
                (a string is a sequence of strings: its letters).
        """
        if isinstance(comments, str):
            raise TypeError("tag() takes a list of comments, not one string")
        split = [clauses(comment) for comment in comments]
        known = self._probabilities(
            list(dict.fromkeys(c for parts in split for c in parts))
        )
        return [
            self._scores(np.max([known[c] for c in parts], axis=0)) if parts else []
            for parts in split
        ]

    def _probabilities(self, texts: list[str]) -> dict[str, Probabilities]:
        """Each clause's probability per topic (neutral left out)."""
        with self._lock:
            found = {t: self._cache[t] for t in texts if t in self._cache}
            for text in found:
                self._cache.move_to_end(text)
        missing = [t for t in texts if t not in found]
        if missing:
            features = self._features(
                self._ngrams.transform(missing), self._encoder(missing)
            )
            rows = np.asarray(self._classifier.predict_proba(features))
            new = {
                t: row[: len(self.topics)] for t, row in zip(missing, rows, strict=True)
            }
            found |= new
            self._remember(new)
        return found

    def _remember(self, new: dict[str, Probabilities]) -> None:
        if self._cache_size <= 0:
            return
        with self._lock:
            self._cache.update(new)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def _features(self, ngrams: Any, embeddings: NDArray[np.float32]) -> Any:
        return self._hstack([ngrams, self._csr(embeddings)]).tocsr()

    def _scores(self, best: Probabilities) -> list[TopicScore]:
        kept = np.flatnonzero(best >= self._thresholds)
        kept = kept[np.argsort(-best[kept], kind="stable")]
        return [
            TopicScore(topic=self.topics[i], score=round(float(best[i]), 4))
            for i in kept
        ]


def _training_set(config: TopicConfig) -> tuple[list[str], list[int]]:
    """Every anchor phrase, folded, labelled with its topic's position.

    Neutral phrases get the label after the last topic.
    """
    groups: list[TopicDefinition | None] = [*config.topics.values(), None]
    texts: list[str] = []
    labels: list[int] = []
    for label, group in enumerate(groups):
        phrases = config.neutral if group is None else group.anchors
        for language_phrases in phrases.values():
            texts.extend(fold(text) for text in language_phrases)
            labels.extend([label] * len(language_phrases))
    return texts, labels


_lock = threading.Lock()
_tagger: CommentTagger | None = None


def default_tagger() -> CommentTagger:
    """The process's tagger for `config/survey_topics.yml`, built on first use.

    Guarded by a lock: the action server calls services from worker
    threads, and two first comments at once must not build it twice (the
    model load and the anchors' embeddings take seconds).

    Raises:
        SurveyTopicsError: the topics file is wrong (the operator's to fix).
    """
    global _tagger
    with _lock:
        if _tagger is None:
            _tagger = CommentTagger()
        return _tagger
