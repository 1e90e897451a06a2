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
    ("ie", "ai"),  # Dier Ezzor, a common slip for Deir
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


# Words that tell two villages of one name apart, in English or transliterated Arabic; one
# spelling each, and always last: "Eastern Gharibeh" = "Gharibah Sharqiyah".
QUALIFIERS = {
    **dict.fromkeys("east eastern sharqi sharki sharqiya sharqiyah sharqiyeh sharqiyya "
                    "sharqiyyah sharkiyah".split(), "east"),
    **dict.fromkeys("west western gharbi gharbiya gharbiyah gharbiyeh gharbiyyah".split(), "west"),
    **dict.fromkeys("north northern shamali shamaliya shamaliyah shamaliyeh".split(), "north"),
    **dict.fromkeys("south southern janubi jnubi qibli kibli janubiyah".split(), "south"),
    **dict.fromkeys("upper fawqani fawqa foqani fouqani fawkani fuqani".split(), "upper"),
    **dict.fromkeys("lower tahtani tahtany tahtaniyah tahtaniyeh".split(), "lower"),
    **dict.fromkeys("big great kabir kabira kabirah kbir kbireh kebir".split(), "big"),
    **dict.fromkeys("small little saghir saghira saghirah sghir zghir".split(), "small"),
    **dict.fromkeys("middle wastani wustani".split(), "middle"),
}  # fmt: skip
ABU = frozenset(("abu", "abou", "abo", "albu", "bou", "aboo", "abul", "abil"))


def name_tokens(text: str) -> list[str]:
    """Lower-case ASCII words of a name, with articles and apostrophes removed and the words
    that tell namesakes apart in one spelling, at the end."""
    text = APOSTROPHES.sub("", strip_accents(text).lower())
    words = [w for w in NON_WORD.split(text) if w]
    if len(words) > 1:
        words = [w for w in words if w not in ARTICLES] or words
    # "Albukamal", "Alqaim", "Dair Alzour": the article glued to a word.
    words = [w[2:] if len(w) > 5 and w.startswith(("al", "el")) else w for w in words]
    # "Abu Kamal" and "Albu Kamal" are one name: "abu" is read as the "bu" of "Albu".
    words = ["bu" if w in ABU else w for w in words]
    words = [GLUED_ARTICLE.sub(r"\1", w) if i else w for i, w in enumerate(words)]
    qualifiers = [QUALIFIERS[w] for w in words if w in QUALIFIERS and len(words) > 1]
    return [w for w in words if w not in QUALIFIERS or len(words) == 1] + sorted(qualifiers)


@lru_cache(maxsize=65536)  # extraction asks for the same spans' keys again and again
def name_key(text: str) -> str:
    """The spelling-independent key of a name; '' when nothing of it is Latin script. Each
    word is folded on its own (Gharibah Sharqiyah = Gharibeh Sharqiyeh), then joined."""
    return "".join(_word_key(word) for word in name_tokens(text))


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    for old, new in FOLDS:
        word = word.replace(old, new)
    word = DOUBLED.sub(r"\1", word)  # doubled letters: Mayadeen, Shaddadi
    if len(word) > 3:
        word = ENDINGS.sub("", word)  # Raqqa = Ar Raqqah = Rakka
    return word


# Arabic script: short vowels and other marks, the elongation stroke, and letter forms that
# writers interchange (alef with or without hamza, ta marbuta and ha, alef maqsura and ya).
ARABIC_LETTERS = re.compile(r"[\u0600-\u06ff]")
ARABIC_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]")
ARABIC_FOLDS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي", "ء": None}
)
ARABIC_NON_WORD = re.compile(r"[^\u0621-\u064a]+")
GLUED_ARABIC_ARTICLE = re.compile(r"(?<=^[\u0621-\u064a]{3})ال(?=[\u0621-\u064a]{3})")
ARABIC_QUALIFIERS = {
    **dict.fromkeys(["شرقي", "شرقيه"], "شرق"),
    **dict.fromkeys(["غربي", "غربيه"], "غرب"),
    **dict.fromkeys(["شمالي", "شماليه"], "شمال"),
    **dict.fromkeys(["جنوبي", "جنوبيه", "قبلي"], "جنوب"),
    **dict.fromkeys(["فوقاني", "فوقانيه"], "فوق"),
    **dict.fromkeys(["تحتاني", "تحتانيه"], "تحت"),
    **dict.fromkeys(["كبير", "كبيره"], "كبير"),
    **dict.fromkeys(["صغير", "صغيره"], "صغير"),
}


@lru_cache(maxsize=65536)
def arabic_key(text: str) -> str:
    """The key of an Arabic-script name: marks and letter variants folded, the article (ال)
    dropped from each word, أبو read as the بو of البو (البوكمال = أبو كمال = بوكمال)."""
    text = ARABIC_MARKS.sub("", text).translate(ARABIC_FOLDS)
    words = [w for w in ARABIC_NON_WORD.split(text) if w]
    folded, qualifiers = [], []
    for word in words:
        if word.startswith("ال") and len(word) > 3:
            word = word[2:]
        word = GLUED_ARABIC_ARTICLE.sub("", word)  # ديرالزور: the article glued on
        if word == "ابو":
            word = "بو"
        if word in ARABIC_QUALIFIERS and len(words) > 1:
            qualifiers.append(ARABIC_QUALIFIERS[word])
        else:
            folded.append(word)
    return "".join(folded + sorted(qualifiers))


VOWELS = re.compile(r"[aeiouyw]")
ARABIC_LOOSE = re.compile(r"[اوي]|[هي]$")


@lru_cache(maxsize=65536)
def loose_key(text: str) -> str:
    """A coarser key for a second look, only where the context narrows the search (a named
    governorate, places nearby): the consonants of the name without the words that tell
    namesakes apart kept whole, as a reader matches an unfamiliar transliteration (Muhameda =
    Mhemideh, Zeban = Dhiban, Safera Tahtany = Lower Safira, الشدادي = الشدادة). Never used
    alone."""
    if ARABIC_LETTERS.search(text):
        words = [w for w in arabic_key(text).split() if w]
        return "ar~" + ARABIC_LOOSE.sub("", "".join(words)) if words else ""
    words = name_tokens(text)
    qualifiers = "".join(w for w in words if w in QUALIFIERS.values())
    key = "".join(_word_key(w) for w in words if w not in QUALIFIERS.values())
    key = DOUBLED.sub(r"\1", VOWELS.sub("", key.replace("z", "d")))
    return f"~{key}{qualifiers}" if len(key) >= 3 else ""


def place_key(text: str) -> str:
    """The lookup key of a name in either script: Arabic-script names get `ar:` keys of their
    own, so they never collide with a Latin key."""
    if ARABIC_LETTERS.search(text):
        key = arabic_key(text)
        return f"ar:{key}" if key else ""
    return name_key(text)


def slugify_name(text: str) -> str:
    """A readable ASCII slug for a name (natural keys in fixtures)."""
    text = APOSTROPHES.sub("", strip_accents(text).lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")
