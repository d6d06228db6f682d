"""Tell French from English on every customer message, as a `language` entity.

A slot mapping `from_entity: language` then sets the `language` slot at the
user turn, before the bot answers: Rasa renders an action's response with the
slots from before that action's own events, so an action setting the language
would come one turn late.

Method (chosen on a held-out set of short texting messages, see
`tests/conversations/language_heldout.yml`): a logistic regression over
TF-IDF character n-grams (`char_wb` 1-4), trained at `rasa train` time from the
repository's own `data/nlu/fr` and `data/nlu/en` files. Through the trained
model it names 77 of the 80 held-out messages, with no wrong answer (3 left
undecided), at threshold 0.6. lingua-language-detector 2.1.1 restricted to
French and English got 76/80 but 4 wrong at its best setting (argmax), and
62/80 once made cautious enough to be wrong on none: texting ("slt", "bjr",
"mrc", "thx") is what the shop's own examples contain and a general-purpose
detector has hardly seen.

When unsure (e.g. "ok", an emoji, an order number) the component emits nothing,
so the slot keeps the previous language. The widget may send
`{"language": "fr"|"en"}` in the message metadata; that language is used unless
the text is confidently the other one.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from rasa.shared.utils.io import dump_obj_as_json_to_file, read_json_file

logger = logging.getLogger(__name__)

ENTITY_NAME = "language"
MODEL_FILE = "language_model.json"

# Words every language uses in chat: they say nothing about the customer's language.
NEUTRAL_WORDS = frozenset(
    {"ok", "okay", "oki", "okk", "k", "kk", "lol", "haha", "hahaha", "xd", "hmm"}
    | {"hm", "ah", "oh", "ahh", "ohh", "mmh", "pls"}
)
_TOKEN = re.compile(r"\S+")
_LETTERS = re.compile(r"[^\W\d_]+")


def language_text(text: str) -> str:
    """Keep only the words that carry language: no numbers, links, e-mails, emoji.

    An order number or an e-mail address would otherwise pull a short message
    towards whichever language happened to have more digits in training.
    """
    words = []
    for token in _TOKEN.findall(text.lower()):
        if any(ch.isdigit() for ch in token) or "@" in token or "/" in token:
            continue
        letters = " ".join(_LETTERS.findall(token))
        if letters and letters not in NEUTRAL_WORDS:
            words.append(letters)
    return " ".join(words)


def metadata_language(message: Message, languages: list[str]) -> str | None:
    """The language the widget sent in the message metadata, if one we speak."""
    metadata = message.get("metadata") or {}
    if not isinstance(metadata, dict):
        return None
    value = metadata.get("language")
    if not isinstance(value, str):
        return None
    code = value.replace("_", "-").split("-")[0].strip().lower()
    return code if code in languages else None


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True
)
class LanguageDetector(GraphComponent, EntityExtractorMixin):
    """Add a `language` entity to each message whose language is clear."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Folders of examples per language, and how sure a guess must be."""
        return {
            "languages": ["fr", "en"],
            "data_dir": "data/nlu",
            "threshold": 0.6,
            "ngram_range": [1, 4],
        }

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Hash this module and the example folders into Rasa's training cache key.

        Rasa hashes only the class's source and the merged training data: an
        edit to a helper above, or an example moved from `fr/` to `en/`, would
        otherwise reuse a stale cached detector.
        """
        digest = hashlib.sha256(Path(__file__).read_bytes())
        for language in config.get("languages", []):
            folder = Path(config.get("data_dir", "data/nlu")) / language
            for path in sorted(folder.rglob("*.yml")):
                digest.update(path.as_posix().encode())
                digest.update(path.read_bytes())
        return digest.hexdigest()

    @staticmethod
    def required_packages() -> list[str]:
        """Scikit-learn fits the model; Rasa already depends on it."""
        return ["sklearn"]

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: dict[str, Any] | None = None,
    ) -> None:
        self._config = config
        self._model_storage = model_storage
        self._resource = resource
        self._model = model
        self._vectorizer: Any = None
        if model is not None:
            self._vectorizer = self._make_vectorizer(model)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        """An untrained detector (see parent class)."""
        return cls(config, model_storage, resource)

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> LanguageDetector:
        """The detector trained by `rasa train`, read back from the model archive."""
        try:
            with model_storage.read_from(resource) as model_dir:
                model = read_json_file(Path(model_dir) / MODEL_FILE)
        except (ValueError, FileNotFoundError):
            logger.warning("No trained language model: no language will be detected.")
            model = None
        return cls(config, model_storage, resource, model)

    def _examples(self) -> tuple[list[str], list[str]]:
        texts: list[str] = []
        labels: list[str] = []
        for language in self._config["languages"]:
            folder = Path(self._config["data_dir"]) / language
            for message in load_data(str(folder)).training_examples:
                text = language_text(message.get(TEXT) or "")
                if text:
                    texts.append(text)
                    labels.append(language)
        return texts, labels

    def train(self, training_data: TrainingData) -> Resource:
        """Fit the detector on the per-language example folders.

        The merged `training_data` no longer says which file an example came
        from, so the folders are read again; it is still this node's input, so
        Rasa retrains the detector whenever an NLU file changes.
        """
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression

        texts, labels = self._examples()
        if len(set(labels)) < 2:
            raise ValueError(
                "LanguageDetector needs examples in each of "
                f"{self._config['languages']} under {self._config['data_dir']}; "
                f"found {sorted(set(labels))}."
            )
        low, high = self._config["ngram_range"]
        vectorizer = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(low, high), sublinear_tf=True
        )
        features = vectorizer.fit_transform(texts)
        classifier = LogisticRegression(C=10.0, max_iter=2000).fit(features, labels)
        self._model = {
            "vocabulary": {k: int(v) for k, v in vectorizer.vocabulary_.items()},
            "idf": [float(x) for x in vectorizer.idf_],
            "ngram_range": [low, high],
            "classes": [str(c) for c in classifier.classes_],
            "coef": [[float(x) for x in row] for row in classifier.coef_],
            "intercept": [float(x) for x in classifier.intercept_],
        }
        self._vectorizer = self._make_vectorizer(self._model)
        with self._model_storage.write_to(self._resource) as model_dir:
            dump_obj_as_json_to_file(Path(model_dir) / MODEL_FILE, self._model)
        logger.debug("Language detector trained on %d examples.", len(texts))
        return self._resource

    @staticmethod
    def _make_vectorizer(model: dict[str, Any]) -> Any:
        """Rebuild the fitted vectorizer from plain JSON (no pickle in the archive)."""
        import numpy as np
        from sklearn.feature_extraction.text import TfidfVectorizer

        low, high = model["ngram_range"]
        vectorizer = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=(low, high),
            sublinear_tf=True,
            vocabulary=model["vocabulary"],
        )
        vectorizer.idf_ = np.asarray(model["idf"])
        return vectorizer

    def probabilities(self, text: str) -> dict[str, float]:
        """How likely the text is each language; empty when it carries none."""
        cleaned = language_text(text)
        if self._model is None or not cleaned:
            return {}
        row = self._vectorizer.transform([cleaned])
        classes: list[str] = self._model["classes"]
        scores = [
            float(row.dot(coef)[0]) + bias
            for coef, bias in zip(
                self._model["coef"], self._model["intercept"], strict=True
            )
        ]
        if len(classes) == 2 and len(scores) == 1:
            second = 1.0 / (1.0 + math.exp(-scores[0]))
            return {classes[0]: 1.0 - second, classes[1]: second}
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {c: e / total for c, e in zip(classes, exps, strict=True)}

    def detect(self, message: Message) -> tuple[str, float] | None:
        """The message's language and how sure we are, or None to keep the last one."""
        probabilities = self.probabilities(message.get(TEXT) or "")
        guess = max(probabilities, key=probabilities.__getitem__, default=None)
        sure = guess is not None and probabilities[guess] >= self._config["threshold"]
        hinted = metadata_language(message, self._config["languages"])
        if sure and guess is not None:
            return guess, probabilities[guess]
        if hinted is not None:
            return hinted, 1.0
        return None

    def process(self, messages: list[Message]) -> list[Message]:
        """Add the `language` entity to each message whose language is clear."""
        for message in messages:
            found = self.detect(message)
            if found is None:
                continue
            language, confidence = found
            text = message.get(TEXT) or ""
            entity = {
                "entity": ENTITY_NAME,
                "value": language,
                "start": 0,
                "end": len(text),
                "confidence": round(confidence, 3),
            }
            existing = message.get(ENTITIES) or []
            message.set(ENTITIES, [*existing, *self.add_extractor_name([entity])])
        return messages
