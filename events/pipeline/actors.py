"""Actors named in a report, from the names and aliases kept in the database.

Editors teach extraction by adding an alias in the admin: the lexicon is rebuilt when the Actor
table changes (one count+max query per report), so the next extraction uses it without a
restart. Matching is on whole words after folding case, accents, apostrophes, dotted
abbreviations (U.S. = US) and plurals (militias = militia); an alias written in capitals (IS,
SDF, PMF) must appear in capitals, so the verb "is" is never the Islamic State.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from events.gazetteer.keys import strip_accents
from events.models import Actor
from events.table_index import TableIndex

WORD = re.compile(r"(?:[A-Za-z]\.){2,}|[^\W_]+(?:['\u2019][^\W_]+)*")
LEADING = frozenset(["the", "a", "an"])


@dataclass(frozen=True)
class ActorEntry:
    pk: int
    slug: str
    name: str
    kind: int
    parent_id: int | None


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    surface: str
    actor: ActorEntry


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """One form per word: lower case, no accents, apostrophes or dots, no plural -s."""
    word = strip_accents(word).lower().replace(".", "").replace("'", "").replace("\u2019", "")
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    return word


def words_of(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in WORD.finditer(text, start, end or len(text))]


class _Lexicon(TableIndex):
    """First folded word -> [(folded words, case-sensitive form or None, actor)], rebuilt when
    the Actor table changes."""

    model = Actor

    def __init__(self) -> None:
        super().__init__()
        self.by_first: dict[str, list[tuple[tuple[str, ...], str | None, ActorEntry]]] = {}
        self.by_slug: dict[str, ActorEntry] = {}
        self.by_pk: dict[int, ActorEntry] = {}

    def rebuild(self) -> None:
        by_first: dict[str, list] = {}
        by_slug: dict[str, ActorEntry] = {}
        for row in Actor.objects.values("pk", "slug", "name", "kind", "parent_id", "aliases"):
            entry = ActorEntry(row["pk"], row["slug"], row["name"], row["kind"], row["parent_id"])
            by_slug[entry.slug] = entry
            for alias in [row["name"], *row["aliases"]]:
                words = [w for _, _, w in words_of(alias)]
                while len(words) > 1 and words[0].lower() in LEADING:
                    words = words[1:]
                if not words:
                    continue
                folded = tuple(fold(w) for w in words)
                exact = alias.strip() if alias.isupper() and len(words) == 1 else None
                item = (folded, exact, entry)
                if item not in by_first.setdefault(folded[0], []):
                    by_first[folded[0]].append(item)
        for items in by_first.values():
            items.sort(key=lambda item: -len(item[0]))  # longest alias first
        self.by_first = by_first
        self.by_slug = by_slug
        self.by_pk = {entry.pk: entry for entry in by_slug.values()}


_lexicon = _Lexicon()

# Forces that fight on one side in eastern Syria, by the slug of the family (an actor, or the
# parent of a unit): a second actor of the same side is an associate, of another side the
# opponent (GUIDELINES.md, section 5). An actor in no group is a side of its own.
SIDES = (
    frozenset({"sdf", "us-led-coalition"}),
    frozenset(
        {
            "syrian-army",
            "iran-backed-militias",
            "irgc",
            "hezbollah",
            "ndf",
            "liwa-al-quds",
            "russian-forces",
            "iraqi-forces",
        }
    ),
    frozenset({"turkish-forces", "syrian-national-army"}),
)


def side_of(actor: ActorEntry) -> str:
    """The side an actor fights on: a group of SIDES, else its own family's slug."""
    family = actor_lexicon().by_pk.get(actor.parent_id, actor) if actor.parent_id else actor
    for side in SIDES:
        if family.slug in side:
            return min(side)
    return family.slug


def actor_lexicon() -> _Lexicon:
    """The current alias lexicon (one query to check it is up to date)."""
    return _lexicon.current()


def actors_find(text: str, start: int = 0, end: int | None = None) -> list[ActorMention]:
    """Every actor named in text[start:end], longest alias first, never overlapping."""
    lexicon = actor_lexicon()
    words = words_of(text, start, end)
    folded = [fold(w) for _, _, w in words]
    mentions = []
    i = 0
    while i < len(words):
        for alias, exact, entry in lexicon.by_first.get(folded[i], ()):
            n = len(alias)
            if tuple(folded[i : i + n]) != alias:
                continue
            if exact is not None and words[i][2].replace(".", "") != exact.replace(".", ""):
                continue
            s, e = words[i][0], words[i + n - 1][1]
            # "Iran-backed": the hyphen joins words into one name; do not start inside one.
            mentions.append(ActorMention(s, e, text[s:e], entry))
            i += n
            break
        else:
            i += 1
    return mentions
