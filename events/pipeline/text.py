"""What comes in: check it is an English text, turn pasted HTML into text, split sentences.

A report's text is stored as received (after HTML is turned into text), and evidence spans
index into it, so sentence splitting returns character spans of that same string.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

import pysbd
from django.conf import settings


class ReportTextError(ValueError):
    """A report text that cannot be used, with a message for the person who sent it."""


# Function words: English prose is full of them, other languages in Latin script are not.
ENGLISH_WORDS = frozenset(
    "the of and to in a is that for on was with as by at from are were has have had it its "
    "this which be been an or not their they he she his her who will would after also than "
    "into over about against between during while where when said but more".split()
)
HTML_TAG = re.compile(
    r"<\s*/?\s*(html|body|div|p|br|span|a|article|section|h[1-6]|li|ul|table|td|tr|script|"
    r"style|head|meta|title|img|strong|em|b|i)\b[^>]*>",
    re.IGNORECASE,
)
BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 article section header footer tr table "
    "blockquote figcaption title".split()
)


class _TextFromHTML(HTMLParser):
    """Keeps the text of a web page: blocks become lines, scripts and styles are dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag) -> None:
        if tag in ("script", "style", "noscript", "template"):
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The readable text of an HTML page or fragment, one paragraph per line."""
    parser = _TextFromHTML()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n\n".join(line for line in lines if line)


def looks_like_html(text: str) -> bool:
    """A page or a fragment: it starts with a tag, or tags recur."""
    tags = len(HTML_TAG.findall(text[:20000]))
    return tags >= 3 or (tags >= 1 and text.lstrip().startswith("<"))


def text_decode(data: bytes, *, name: str = "the input") -> str:
    """Bytes to text, refusing what is not a UTF-8 text file."""
    limit = settings.ATLAS_REPORT_MAX_BYTES
    if len(data) > limit:
        raise ReportTextError(
            f"{name} is {len(data) / 1e6:.1f} MB; a report may be at most "
            f"{limit / 1e6:.1f} MB (ATLAS_REPORT_MAX_BYTES)."
        )
    if b"\x00" in data[:65536]:
        raise ReportTextError(f"{name} is a binary file (it holds NUL bytes), not a text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReportTextError(
            f"{name} is not UTF-8 text (byte {error.start} cannot be read); "
            "save it as UTF-8 or check that it is a text file."
        ) from None


def text_clean(text: str, *, name: str = "the report") -> str:
    """The text to store for a report, or ReportTextError saying why there is none.

    HTML pasted from a web page keeps its text; control characters are refused; the text must
    read as English (Atlas's rules are written for English reports).
    """
    limit = settings.ATLAS_REPORT_MAX_BYTES
    if len(text) > limit:
        raise ReportTextError(
            f"{name} is {len(text.encode()) / 1e6:.1f} MB; a report may be at most "
            f"{limit / 1e6:.1f} MB (ATLAS_REPORT_MAX_BYTES)."
        )
    if "\x00" in text:
        raise ReportTextError(f"{name} holds NUL bytes: it is binary data, not a text.")
    if looks_like_html(text):
        text = html_to_text(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t")
    if controls > max(3, len(text) // 1000):
        raise ReportTextError(f"{name} holds {controls} control characters: it is not a text.")
    if not text:
        raise ReportTextError(f"{name} is empty.")
    language_check(text, name=name)
    return text


def language_check(text: str, *, name: str = "the report") -> None:
    """Refuse texts in another script, or in Latin script with almost no English words."""
    letters = [ch for ch in text[:20000] if ch.isalpha()]
    latin = sum(1 for ch in letters if ch.isascii() or "LATIN" in unicodedata.name(ch, ""))
    if letters and latin / len(letters) < 0.6:
        script = _main_script(letters)
        raise ReportTextError(
            f"{name} is not in English (mostly {script} script); Atlas extracts from English "
            "reports. Add a translation instead."
        )
    words = re.findall(r"[a-z]+", text[:20000].lower())
    if len(words) >= 12:
        share = sum(1 for w in words if w in ENGLISH_WORDS) / len(words)
        if share < 0.08:
            raise ReportTextError(
                f"{name} does not read as English ({share:.0%} of its words are common English "
                "words); Atlas extracts from English reports. Add a translation instead."
            )


def _main_script(letters: list[str]) -> str:
    counts: dict[str, int] = {}
    for ch in letters:
        script = unicodedata.name(ch, "UNKNOWN").split()[0].title()
        counts[script] = counts.get(script, 0) + 1
    return max(counts, key=counts.get)


# --------------------------------------------------------------------------- sentences


@dataclass(frozen=True)
class Sentence:
    """A sentence of the report: its text and where it sits (`text[start:end]`)."""

    start: int
    end: int
    text: str
    paragraph: int


@cache
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


# A line with none of these splits at its full stops like pysbd would, ten times faster; a line
# with one (an abbreviation, an initial, an ellipsis) goes to pysbd.
HARD_STOPS = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Gen|Col|Lt|Maj|Capt|Sgt|Cpl|Pvt|Brig|Adm|Cmdr|St|Mt|Jan|Feb|"
    r"Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|No|Nos|Vol|vs|etc|approx|Sen|Rep|Gov|Jr|Sr|"
    r"Inc|Ltd|Co|Corp|Fig|al|e\.g|i\.e)\.|\b[A-Za-z]\.|\.\.|…)"
)
SIMPLE_STOP = re.compile(
    r"(?<=[.!?])(?P<close>[\"\u201d\u2019')\]]*(?:\[\d+\])*)\s+(?=[\"\u201c\u2018(\[]?[A-Z0-9])"
)


def _pieces(line: str) -> list[str]:
    if HARD_STOPS.search(line):
        return _segmenter().segment(line)
    pieces, start = [], 0
    for stop in SIMPLE_STOP.finditer(line):
        pieces.append(line[start : stop.end("close")])
        start = stop.end()
    pieces.append(line[start:])
    return pieces


def sentences_split(text: str) -> list[Sentence]:
    """Sentences with their spans; a line break always ends one (headlines, list items)."""
    sentences = []
    for number, match in enumerate(re.finditer(r"[^\n]+", text)):
        line, offset = match.group(), match.start()
        if not line.strip():
            continue
        cursor = 0
        for piece in _pieces(line):
            piece = piece.strip()
            if not piece:
                continue
            start = line.find(piece, cursor)
            if start < 0:  # pysbd changed the text: fall back to the rest of the line
                start, piece = cursor, line[cursor:].strip()
            cursor = start + len(piece)
            sentences.append(Sentence(offset + start, offset + cursor, piece, number))
    return sentences
