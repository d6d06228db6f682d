"""The search index of one language: what a question is compared with, and how.

Each entry is known by its title and its example questions (its "views");
a French index also borrows the English twins' views (`borrow`), which
MiniLM reads best. A question gets four scores per entry:

- `dense`: cosine with MiniLM sentence embeddings, the meaning. MiniLM was
  trained on English only: alone it put the right entry first for 75 % of
  the French development questions, against 97 % in English. French texts
  are read as a word-by-word English gloss (`crm.knowledge.glossary`): a
  French question, glossed, is compared with the glossed French views and
  with the English ones. MiniLM alone then puts 90 % of the French
  development questions first (67 % to 89 % in cross-validation, 68 % to
  80 % held out);
- `ngrams`: cosine of character 2-5-gram TF-IDF vectors of the text itself
  (not the gloss). They survive typos, missing accents and texting
  ("rembourssement", "jai") in either language;
- `words`: cosine of TF-IDF vectors of stemmed content words and their
  adjacent pairs (`crm.knowledge.words`): "remboursee", "rembourse" and
  "remboursement" are one word, "de" and "le" are none, and "combien temp"
  is not "combien" alone;
- `probability`: a logistic regression trained on the views (the three
  vectors side by side) that says which entry a question belongs to. It
  learns which words tell close entries apart ("combien de temps" +
  "renvoyer" is the return period, "combien" + "renvoyer" the return
  cost), which plain similarity cannot. It puts the right entry first for
  99 % of the French development questions against 95 % by similarity,
  93 % against 91 % in cross-validation, and 92 % against 88 % on the
  held-out set (2026-11-29).

The similarity of an entry (the mean of its two closest views, so that one
lucky view does not win alone) says whether the question is about the
knowledge base at all; the probability says which entry answers it, and how
clearly. `bench/eval_kb.py` measures each part; `config/knowledge_base.yml`
holds the settings chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from crm.customers.models import Language
from crm.knowledge.encoder import Encoder
from crm.knowledge.glossary import gloss
from crm.knowledge.kb import KbEntry
from crm.knowledge.text import normalize, vocabulary
from crm.knowledge.words import content_stems

Matrix = NDArray[np.float64]

_NGRAMS = (2, 5)  # character n-grams within words, padded by spaces
_WORDS = (1, 2)  # stems alone and in adjacent pairs
_CLASSIFIER_C = 10.0  # weak regularisation: ~15 views per entry, few features each
# newton-cg: 8 iterations, under a second; lbfgs took 24 and 3 s here.
_TOP_VIEWS = 2  # an entry's similarity: the mean of its closest views


@dataclass(frozen=True)
class Scoring:
    """How the four scores make a ranking.

    `dense_weight` is MiniLM's share of the similarity, the rest going to
    the lexical match; `word_weight` is the stemmed words' share of that
    lexical match, the rest going to the character n-grams;
    `use_classifier` ranks entries by the classifier's probability instead
    of by similarity.
    """

    dense_weight: float = 0.6
    word_weight: float = 0.5
    use_classifier: bool = True


@dataclass(frozen=True)
class EntryScore:
    """One entry's scores for one question; `position` indexes the entries."""

    position: int
    similarity: float
    probability: float


@dataclass(frozen=True)
class QuestionScores:
    """Per question (rows) and entry (columns): the four raw scores."""

    dense: Matrix
    ngrams: Matrix
    words: Matrix
    probability: Matrix

    def similarity(self, row: int, scoring: Scoring) -> NDArray[np.float64]:
        """Question `row`'s similarity with each entry, as `scoring` mixes it."""
        lexical = (1 - scoring.word_weight) * self.ngrams[row] + (
            scoring.word_weight * self.words[row]
        )
        weight = scoring.dense_weight
        return np.asarray(weight * self.dense[row] + (1 - weight) * lexical)

    def ranking(self, row: int, scoring: Scoring) -> list[EntryScore]:
        """The entries for question `row`, the most likely first."""
        similarity = self.similarity(row, scoring)
        probability = self.probability[row]
        key = probability if scoring.use_classifier else similarity
        # Ties (rare, but equal probabilities happen) go to the closer entry.
        order = np.lexsort((-similarity, -key))
        return [
            EntryScore(int(i), float(similarity[i]), float(probability[i]))
            for i in order
        ]


@dataclass(frozen=True)
class _Views:
    """What the entries are compared with: normalised texts, whose, embedded."""

    texts: list[str]
    owner: NDArray[np.int_]
    embeddings: NDArray[np.float32]


class LanguageIndex:
    """The entries of one language, embedded, vectorised and learnt once.

    Building it embeds every view (~800 short texts, a few seconds on the
    CPU) and fits the vectorisers and the classifier (a second or two); a
    question then costs one embedding (~15 ms) and a few products.

    `borrow`, the index of the same entries in another language, lends its
    views, already embedded: they count as views of the entry with the same
    id, for every score (its lexical vectors mostly miss a French question,
    its embeddings do not).
    """

    def __init__(
        self,
        language: Language,
        entries: Sequence[KbEntry],
        encoder: Encoder,
        borrow: LanguageIndex | None = None,
    ) -> None:
        # Imported here: scikit-learn takes a second to import, and only the
        # knowledge base needs it.
        from scipy.sparse import hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        self.language = language
        self.entries = tuple(entries)
        self._encoder = encoder
        views = [(n, text) for n, e in enumerate(entries) for text in _views(e)]
        self._known = vocabulary((text for _, text in views), language)
        texts = [normalize(text, language, self._known) for _, text in views]
        # Its own views, which a French index borrows from the English one.
        self.own = _Views(
            texts=texts,
            owner=np.array([n for n, _ in views]),
            embeddings=encoder(self._readable(texts)),
        )
        self._views = self.own if borrow is None else self._borrowing(borrow)
        self._char_vectorizer: Any = TfidfVectorizer(
            analyzer="char_wb", ngram_range=_NGRAMS, lowercase=False, sublinear_tf=True
        )
        self._word_vectorizer: Any = TfidfVectorizer(
            analyzer=self._stems, sublinear_tf=True
        )
        self._ngrams: Any = self._char_vectorizer.fit_transform(self._views.texts)
        self._words: Any = self._word_vectorizer.fit_transform(self._views.texts)
        self._hstack: Any = hstack
        self._classifier: Any = LogisticRegression(
            C=_CLASSIFIER_C, solver="newton-cg", max_iter=1000
        )
        self._classifier.fit(
            self._features(self._ngrams, self._words, self._views.embeddings),
            self._views.owner,
        )

    def _borrowing(self, other: LanguageIndex) -> _Views:
        """Own views, then those of the other language's twin entries."""
        position = {entry.id: n for n, entry in enumerate(self.entries)}
        lent = [position[other.entries[m].id] for m in other.own.owner]
        return _Views(
            texts=[*self.own.texts, *other.own.texts],
            owner=np.concatenate([self.own.owner, np.array(lent)]),
            embeddings=np.vstack([self.own.embeddings, other.own.embeddings]),
        )

    def scores(self, questions: Sequence[str]) -> QuestionScores:
        """Score some questions against every entry (batch them: one model call)."""
        texts = [normalize(q, self.language, self._known) for q in questions]
        embeddings = self._encoder(self._readable(texts))
        ngrams = self._char_vectorizer.transform(texts)
        words = self._word_vectorizer.transform(texts)
        dense = np.asarray(embeddings @ self._views.embeddings.T, dtype=np.float64)
        probability = np.asarray(
            self._classifier.predict_proba(self._features(ngrams, words, embeddings)),
            dtype=np.float64,
        )
        return QuestionScores(
            dense=self._per_entry(dense),
            ngrams=self._per_entry(_cosines(ngrams, self._ngrams)),
            words=self._per_entry(_cosines(words, self._words)),
            probability=probability,
        )

    def _readable(self, normalized: list[str]) -> list[str]:
        """What MiniLM reads: the text, French glossed into English."""
        if self.language is Language.FR:
            return [gloss(text) for text in normalized]
        return normalized

    def _stems(self, normalized: str) -> list[str]:
        """Stemmed content words, then adjacent pairs of them ("combien temp")."""
        stems = content_stems(normalized, self.language)
        low, high = _WORDS
        return [
            " ".join(stems[i : i + n])
            for n in range(low, high + 1)
            for i in range(len(stems) - n + 1)
        ]

    def _features(
        self, ngrams: Any, words: Any, embeddings: NDArray[np.float32]
    ) -> Any:
        return self._hstack([ngrams, words, embeddings]).tocsr()

    def _per_entry(self, by_view: Matrix) -> Matrix:
        """Each entry's similarity: the mean of its closest views."""
        out = np.empty((by_view.shape[0], len(self.entries)))
        for n in range(len(self.entries)):
            mine = np.sort(by_view[:, self._views.owner == n], axis=1)
            out[:, n] = mine[:, -_TOP_VIEWS:].mean(axis=1)
        return out


def _cosines(questions: Any, views: Any) -> Matrix:
    """Cosines of TF-IDF rows (already L2-normalised): one row per question."""
    return np.asarray((questions @ views.T).toarray(), dtype=np.float64)


def _views(entry: KbEntry) -> list[str]:
    """What an entry is compared with: its title and its example questions.

    Not the answer text: on the development set it did not help (an answer
    mentions neighbouring topics in passing, which draws their questions).
    """
    return [entry.title, *entry.questions]
