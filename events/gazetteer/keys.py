"""Transliteration keys: one spelling-independent key per place or actor name.

News writes the same Arabic name many ways (Albukamal, Al-Bokamal, Abu Kamal; Deir Ezzor,
Deir ez-Zor, Deir Al-Zour; Dhiban, Thiban). `name_key` folds those variants to one key so a
lookup is a dictionary hit, never a fuzzy guess (NOTES.md: fuzzy matching gave false hits).
The rules are the ones measured in NOTES.md: 38/40 variants right, 0/22 false hits.
"""

import re
import unicodedata
from functools import lru_cache

# The Arabic article as it is transliterated before a word ("al-", "ash ", "ez-", ...).
ARTICLES = frozenset(
    [
        "al",
        "el",
        "il",
        "ul",
        "ad",
        "ed",
        "ar",
        "er",
        "as",
        "es",
        "ash",
        "esh",
        "at",
        "et",
        "ath",
        "az",
        "ez",
        "an",
        "en",
        "adh",
    ]
)
# Arabic letters and marks romanised as apostrophes: hamza, ayn, and their look-alikes.
APOSTROPHES = re.compile(r"[\u02bb\u02bc\u02bd\u02be\u02bf\u2018\u2019\u201b`'\u00b4]")
# Sun-letter assimilation glued to the word: "Ezzor" is "ez-Zor", "Assukhnah" is "as-Sukhnah".
GLUED_ARTICLE = re.compile(r"^[ae]([dnrstz])\1(?=[a-z]{2})")
# Letter groups that stand for one Arabic letter or one vowel, folded to one spelling.
FOLDS = (
    ("dh", "d"),
    ("th", "d"),  # Dhiban = Thiban: the same letter, two romanisations.
    ("kh", "k"),
    ("gh", "g"),
    ("q", "k"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ei", "ai"),
    ("ey", "ai"),
    ("ay", "ai"),
    ("aw", "u"),  # Zawr = Zaur = Zour = Zor
    ("au", "u"),
    ("e", "a"),
    ("o", "u"),
    ("w", "u"),
    ("y", "i"),
)
# Feminine and adjectival endings: -iyah, -iyeh, -ieh, -iya, -yya all end the same way.
ENDINGS = re.compile(r"(?:iah|ia|ah|a|h)$")
NON_WORD = re.compile(r"[^a-z0-9]+")
DOUBLED = re.compile(r"(.)\1+")


def strip_accents(text: str) -> str:
    """Drop diacritics (Hajīn -> Hajin) and Arabic romanisation marks."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def name_tokens(text: str) -> list[str]:
    """Lower-case ASCII words of a name, with articles and apostrophes removed."""
    text = APOSTROPHES.sub("", strip_accents(text).lower())
    words = [w for w in NON_WORD.split(text) if w]
    if len(words) > 1:
        words = [w for w in words if w not in ARTICLES] or words
    # "Albukamal", "Alqaim": the article glued to the first word.
    if words and len(words[0]) > 5 and words[0].startswith(("al", "el")):
        words[0] = words[0][2:]
    # "Abu Kamal" and "Albu Kamal" are one name: "abu" is read as the "bu" of "Albu".
    words = ["bu" if w in ("abu", "abou", "abo", "albu") else w for w in words]
    return [GLUED_ARTICLE.sub(r"\1", w) if i else w for i, w in enumerate(words)]


@lru_cache(maxsize=65536)  # extraction asks for the same spans' keys again and again
def name_key(text: str) -> str:
    """The spelling-independent key of a name; '' when nothing of it is Latin script."""
    key = "".join(name_tokens(text))
    for old, new in FOLDS:
        key = key.replace(old, new)
    key = DOUBLED.sub(r"\1", key)  # doubled letters: Mayadeen, Shaddadi
    if len(key) > 4:
        key = ENDINGS.sub("", key)
    return key


def slugify_name(text: str) -> str:
    """A readable ASCII slug for a name (natural keys in fixtures)."""
    text = APOSTROPHES.sub("", strip_accents(text).lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
