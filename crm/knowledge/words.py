"""Content words reduced to their stems: the word-level half of the lexical match.

Character n-grams see "rembourse" and "remboursement" as cousins, but they
also see "retour" inside "retourner" and "detour", and count "de", "le",
"la" as heavily as the words that carry the question. A customer asking
"c rembourse quand" means the same thing as "quand serai-je remboursé", and
the stems say so: both give `rembours` and `quand`. Stop words are only
grammar (articles, pronouns, auxiliaries); question words ("combien",
"quand", "how", "long") and negations stay, because they tell entries apart
("combien de temps" is the return period, "combien" alone the cost).

Stemming runs on folded text (no accents), on both sides, so that a
customer's "remboursee" meets the entry's "remboursée": the Snowball
French stemmer knows fewer endings without accents, so any trailing "e"
left after it is cut too ("cassee", "casse", "cassé" all give `cass`), and
a final "y" becomes "i" ("renvoye" and "renvoyer" both give `renvoi`).
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

from crm.customers.models import Language

_STEMMER_NAMES = {Language.FR: "french", Language.EN: "english"}


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Grammar only, written folded (as `text.normalize` leaves words). A word
# that can carry the question (combien, quand, pas, plus, how, not...) is
# not here; the TF-IDF weights already lower what is merely frequent.
STOP_WORDS: dict[Language, frozenset[str]] = {
    Language.FR: _word_set(
        """
        a ai as au aux avez avoir avons c ce ces cet cette d de des du elle
        elles en es est et etait etre eu il ils j je l la le les leur leurs
        lui m ma me mes moi mon n ne nos notre nous on ont qu que qui s sa
        se ses si son sont suis t ta te tes toi ton tu un une vos votre vous
        y bonjour bonsoir merci salut plait
        """
    ),
    Language.EN: _word_set(
        """
        a am an and are as at be been but by could did do does for from had
        has have he her hi hello i if in is it its me my of on or our she
        so that the their them they this those to us was we were will with
        would you your yours please thanks thank hey
        """
    ),
}

_lock = threading.Lock()


def content_stems(normalized: str, language: Language) -> list[str]:
    """The stems of the words of `normalized` that are not stop words.

    `normalized` is `text.normalize` output: folded, texting spelled out,
    French elisions split off ("j ai"), so words are space-separated.
    """
    stop = STOP_WORDS[language]
    return [
        stem(word, language)
        for word in normalized.split()
        if word not in stop and (len(word) > 1 or word.isdigit())
    ]


@lru_cache(maxsize=20_000)
def stem(word: str, language: Language) -> str:
    """One word's stem; cached, since customers reuse the same few hundred."""
    # A Snowball stemmer keeps its word in itself while it works: one call
    # at a time (the action server answers from several threads).
    with _lock:
        stem = str(_stemmer(language).stemWord(word))
    if language is Language.FR:
        stem = stem.rstrip("e") if len(stem.rstrip("e")) >= 3 else stem
        # "renvoyer" gives renvoi, "renvoye" renvoy: the same verb.
        stem = stem.removesuffix("y") + "i" if stem.endswith("y") else stem
    return stem


@lru_cache(maxsize=len(Language))
def _stemmer(language: Language) -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer(_STEMMER_NAMES[language])
