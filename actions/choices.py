"""Reading a customer's typed answer to a return question: which item, how many, why.

Buttons send exact values (`/inform{"return_item":"KIT-001"}`); people also
type "le 2", "the shampoo", "both", "il est arrivé cassé". These helpers turn
such words into the values the crm services take. They read language, not
shop rules: whether the item may go back is still `crm.returns` deciding.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from enum import StrEnum
from typing import Final, Protocol, TypeVar

from crm.problems.models import ProblemKind
from crm.returns.models import Resolution, ReturnReason

E = TypeVar("E", bound=StrEnum)

ALL_ITEMS: Final = "all"

_ALL_WORDS: Final = frozenset(
    {"all", "everything", "both", "tout", "tous", "toutes", "deux", "ensemble"}
)
# The answer to "is this the one?", asked when a single item is offered.
_YES_WORDS: Final = frozenset(
    {"oui", "ouais", "yes", "yeah", "yep", "ok", "okay", "celui", "exactement"}
)
_NUMBER_WORDS: Final = {
    "un": 1,
    "une": 1,
    "one": 1,
    "deux": 2,
    "two": 2,
    "trois": 3,
    "three": 3,
    "quatre": 4,
    "four": 4,
    "cinq": 5,
    "five": 5,
}
# Stems, accents removed, in both languages; the first reason that matches wins,
# so the shop's-fault reasons (free label) come first.
_REASON_STEMS: Final[tuple[tuple[ReturnReason, tuple[str, ...]], ...]] = (
    (
        ReturnReason.WRONG_ITEM,
        (
            "pas le bon",
            "mauvais",
            "erreur",
            "wrong",
            "not what i ordered",
            "pas ce que",
            "pas l'article command",
        ),
    ),
    (
        ReturnReason.DAMAGED,
        (
            "abim",
            "cass",
            "endommag*",
            "ecras",
            "fissur*",
            "fendu",
            "dechir",
            "raye",
            "bris",
            "damag",
            "broke",
            "crush",
            "torn",
            "scratch",
            "crack",
            "dented",
            "smash",
            "shatter",
        ),
    ),
    (
        ReturnReason.FAULTY,
        (
            "defect*",
            "defaut",
            "marche pas",
            "marche plus",
            "fonctionne pas",
            "fonctionne plus",
            "faulty",
            "fuit",
            "panne",
            "leak",
            "not work",
            "'t work",
            "doesnt work",
            "dont work",
        ),
    ),
    (ReturnReason.SIZE_FIT, ("taille", "trop petit", "trop grand", "size", "fit")),
    (
        ReturnReason.NOT_AS_DESCRIBED,
        ("descri*", "photo", "correspond pas", "ressemble pas", "not as"),
    ),
    (ReturnReason.LATE, ("retard", "trop tard", "late")),
    (
        ReturnReason.CHANGED_MIND,
        ("avis", "plus besoin", "plait pas", "changed my mind", "don't need", "like"),
    ),
)
_KIND_STEMS: Final = (
    (
        ProblemKind.NOT_RECEIVED,
        (
            "pas recu",
            "jamais recu",
            "jamais arriv*",
            "not received",
            "never received",
            "never got",
            "never arrived",
        ),
    ),
    (
        ProblemKind.MISSING_ITEM,
        ("manqu*", "missing", "pas dans le colis", "only got", "que 2", "que 1"),
    ),
    (ProblemKind.WRONG_ITEM, _REASON_STEMS[0][1]),
    (ProblemKind.DAMAGED, _REASON_STEMS[1][1]),
    (ProblemKind.FAULTY, _REASON_STEMS[2][1]),
)
_RESOLUTION_STEMS: Final = (
    (Resolution.EXCHANGE, ("echang*", "exchang*", "remplac*", "replac*", "autre")),
    (Resolution.REFUND, ("rembours*", "refund", "money", "argent")),
)


def plain(text: str) -> str:
    """Lower case without accents, so that "abîmé" and "abime" read the same.

    Phones type the typographic apostrophe (U+2019): read as a plain one.
    """
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("\u2019", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", plain(text)))


class Named(Protocol):
    """An item offered as a button: its SKU and its names."""

    @property
    def sku(self) -> str: ...
    @property
    def name_fr(self) -> str: ...
    @property
    def name_en(self) -> str: ...


def pick_items(
    answer: str, offered: Sequence[Named], language: str
) -> list[str] | None:
    """The SKUs the customer means among the items offered, or None.

    Understands a SKU (a button), "all"/"tout", list positions ("1", "2 et 3")
    and words of an item's name ("the shampoo"); positions count the items
    in the order they were offered.
    """
    eligible = list(offered)
    skus = {line.sku.lower(): line.sku for line in eligible}
    text = plain(answer)
    if text in skus:
        return [skus[text]]
    if text == ALL_ITEMS:
        return [line.sku for line in eligible]
    words = _words(answer)
    if words & _ALL_WORDS or (len(eligible) == 1 and words & _YES_WORDS):
        return [line.sku for line in eligible]
    positions = [int(w) for w in words if w.isdigit() and len(w) <= 2]
    if positions and all(1 <= p <= len(eligible) for p in positions):
        return [eligible[p - 1].sku for p in sorted(set(positions))]
    best: list[str] = []
    best_score = 0
    for line in eligible:
        name = line.name_en if language == "en" else line.name_fr
        both = _words(f"{name} {line.name_fr} {line.name_en}")
        score = len({w for w in words if len(w) > 2} & both)
        if score > best_score:
            best, best_score = [line.sku], score
        elif score == best_score and score > 0:
            best.append(line.sku)
    return best if best_score > 0 and len(best) == 1 else None


def parse_quantity(answer: str, most: int) -> int | None:
    """How many the customer wants to send back, if it is between 1 and `most`."""
    words = _words(answer)
    if words & {"all", "tout", "tous", "toutes"}:
        return most
    numbers = [int(w) for w in words if w.isdigit()]
    numbers += [_NUMBER_WORDS[w] for w in words if w in _NUMBER_WORDS]
    if len(numbers) != 1:
        return None
    return numbers[0] if 1 <= numbers[0] <= most else None


def _says(text: str, stem: str) -> bool:
    """Whether `text` holds a word that starts with `stem` and ends soon after.

    A stem reads up to three more letters ("cass": "cassé", "cassées"; not
    "casserole"; "late" is not in "chocolate"), or any ending when it ends
    in `*` ("rembours*": "remboursement"). A wrong match could give a free
    label.
    """
    tail = "[a-z]*" if stem.endswith("*") else "[a-z]{0,3}"
    start = "(?<![a-z0-9])" if stem[:1].isalnum() else ""
    body = re.escape(stem.removesuffix("*"))
    return re.search(rf"{start}{body}{tail}(?![a-z])", text) is not None


def _choice(
    answer: str, values: type[E], stems: Sequence[tuple[E, tuple[str, ...]]]
) -> E | None:
    """A button's exact value, else the first value whose stems the words hold."""
    text = plain(answer)
    if text in {value.value for value in values}:
        return values(text)
    for value, words in stems:
        if any(_says(text, word) for word in words):
            return value
    return None


def parse_reason(answer: str) -> ReturnReason | None:
    """The return reason a button sent or the customer's words describe."""
    return _choice(answer, ReturnReason, _REASON_STEMS)


def parse_resolution(answer: str) -> Resolution | None:
    """Refund or exchange, from a button or the customer's words."""
    return _choice(answer, Resolution, _RESOLUTION_STEMS)


def parse_problem_kind(answer: str) -> ProblemKind | None:
    """What went wrong, from a button or the customer's words."""
    return _choice(answer, ProblemKind, _KIND_STEMS)
