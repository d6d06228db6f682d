"""Bring a customer's texting close to the shop's written words before matching.

Customers write "jai", "c koi", "tjrs", "u", "whats", without accents or
apostrophes; the knowledge base is written properly. Both sides go through
the same folding (case, accents, punctuation), then the few texting forms
that change the words are spelled out, so that the character n-grams and
the sentence embedding see the same words on both sides.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from crm.customers.models import Language

# A word, or an elided French article with its apostrophe ("j'", "qu'").
_TOKEN = re.compile(r"[a-z0-9]+'?")

# Texting forms, after folding; only those that are not already words of
# the entries (a form that is a real word, like "vs", stays as written).
_TEXTING: dict[Language, dict[str, str]] = {
    Language.FR: {
        "c": "c est",
        "cb": "combien",
        "chui": "je suis",
        "cmb": "combien",
        "dc": "donc",
        "ds": "dans",
        "g": "j ai",
        "jpeux": "je peux",
        "jpx": "je peux",
        "jsuis": "je suis",
        "jvais": "je vais",
        "jveux": "je veux",
        "bcp": "beaucoup",
        "koi": "quoi",
        "mm": "meme",
        "mtn": "maintenant",
        "pb": "probleme",
        "pcq": "parce que",
        "pk": "pourquoi",
        "pkoi": "pourquoi",
        "pq": "pourquoi",
        "pr": "pour",
        "qd": "quand",
        "qqch": "quelque chose",
        "qqn": "quelqu un",
        "rembourssement": "remboursement",
        "stp": "s il te plait",
        "svp": "s il vous plait",
        "tjrs": "toujours",
        "tjs": "toujours",
        "tt": "tout",
        "vs": "vous",
        "ya": "il y a",
    },
    Language.EN: {
        "abt": "about",
        "b4": "before",
        "cant": "can not",
        "cos": "because",
        "couldnt": "could not",
        "coz": "because",
        "cuz": "because",
        "didnt": "did not",
        "doesnt": "does not",
        "dont": "do not",
        "gonna": "going to",
        "hasnt": "has not",
        "havent": "have not",
        "hows": "how is",
        "im": "i am",
        "isnt": "is not",
        "ive": "i have",
        "pls": "please",
        "plz": "please",
        "r": "are",
        "thats": "that is",
        "theres": "there is",
        "thx": "thanks",
        "u": "you",
        "ur": "your",
        "wanna": "want to",
        "wasnt": "was not",
        "wat": "what",
        "whats": "what is",
        "wheres": "where is",
        "wont": "will not",
        "wouldnt": "would not",
        "youre": "you are",
    },
}

# French questions by inversion, as the shop writes them ("Puis-je",
# "Livrez-vous", "Y a-t-il"), put in the order customers type them ("je
# peux", "vous livrez", "il y a"): the hyphen marks them, and customers
# seldom type it. "-t-" is only there for the sound.
_EUPHONIC_T = re.compile(r"-t-(il|elle|on)\b")
_INVERSION = re.compile(r"\b(\w+)-(je|tu|il|elle|on|nous|vous|ils|elles)\b")

# French elisions typed without the apostrophe: "jai", "lodeur", "dorigine".
_ELIDED = ("qu", "j", "l", "d", "m", "t", "s", "n", "c")


def fold(text: str) -> str:
    """Lower case, no accents: "Échange" and "echange" are the same word."""
    decomposed = unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


def _tokens(text: str, language: Language) -> list[str]:
    """Folded words; French elided articles kept apart, English ones glued.

    "j'ai" gives "j'" and "ai", as "jai" will once split; "what's" gives
    "whats", as customers type it, which the texting table spells out.
    """
    folded = fold(text)
    if language is Language.FR:
        folded = _uninvert(folded)
    if language is Language.EN:
        folded = folded.replace("'", "")
    else:
        folded = folded.replace("'", "' ")
    return _TOKEN.findall(folded)


def _uninvert(folded: str) -> str:
    """Put inverted questions in customer order ("puis-je" gives "je peux")."""
    folded = _EUPHONIC_T.sub(r"-\1", folded).replace("puis-je", "je peux")
    folded = folded.replace("y a-il", "il y a")
    return _INVERSION.sub(r"\2 \1", folded)


def vocabulary(texts: Iterable[str], language: Language) -> frozenset[str]:
    """Every folded word of some texts: what counts as a known word."""
    return frozenset(
        token.rstrip("'") for text in texts for token in _tokens(text, language)
    )


def normalize(text: str, language: Language, known: frozenset[str]) -> str:
    """Fold `text` and spell out texting forms, for matching.

    `known` is the vocabulary of the knowledge base in that language: a
    French word glued to its elided article ("lodeur") is split only when
    the word without it is known ("odeur") and the glued form is not, so
    that real words such as "dans" or "lait" stay whole.
    """
    texting = _TEXTING[language]
    out: list[str] = []
    for token in _tokens(text, language):
        if token.endswith("'"):
            out.append(token[:-1])
        elif token in texting:
            out.append(texting[token])
        elif language is Language.FR and token not in known:
            out.append(_split_elision(token, known))
        else:
            out.append(token)
    return " ".join(out)


def _split_elision(word: str, known: frozenset[str]) -> str:
    for article in _ELIDED:
        rest = word.removeprefix(article)
        if rest != word and len(rest) > 1 and rest in known:
            return f"{article} {rest}"
    return word
