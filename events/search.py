"""Search that finds: words (ranked, stemmed) and places in any spelling.

Each event has a search document (models.EventSearch): its title, description, the quotes of
its evidence with the titles of their reports, and its imported sources (with those of the
events merged into it). The database indexes the documents with its own full-text search:
PostgreSQL a weighted tsvector ('english': stemmed, stop words dropped) with a GIN index,
SQLite an FTS5 table ('porter unicode61') kept by triggers (migration 0016). Both read the same
folded words, the same query: the same events are found.

A query is read word by word (every character that is not a letter or a digit separates
words, so no query syntax of either database reaches it). Words that name a place in the
gazetteer, in any spelling the transliteration keys fold together (Mayadin, al-Mayadin,
Mayadeen, الميادين), also find the events at that place, or in it when it is a governorate,
district or subdistrict, and those whose text names it in any of its spellings. Every word
(or place) is required; the events are ranked by how well their text matches (the title first,
then the description, the evidence, the sources).

The documents follow edits through signals (an event, its evidence, a report's title; a merge
and its undo) and `search_refresh` after bulk writes; `manage.py rebuild_search` rebuilds them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_init, post_save

from events.gazetteer.keys import (
    ARABIC_FOLDS,
    ARABIC_LETTERS,
    ARABIC_MARKS,
    ARTICLES,
    place_key,
    strip_accents,
)
from events.models import UNIT_KINDS, Event, EventSearch, Evidence, Report

FTS_TABLE = "events_eventsearch_fts"
# How much a match counts in each column (title, body, evidence, sources). PostgreSQL's
# ts_rank weighs A-D 1.0, 0.4, 0.2, 0.1 by default: the same proportions.
BM25_WEIGHTS = "10.0, 4.0, 2.0, 1.0"
CHUNK = 1000  # events a refresh reads and writes at a time
MAX_WORDS = 12  # of a query; the rest is ignored
MAX_NAMES = 40  # spellings of a place a query looks for in the texts

# PostgreSQL's English stop words (tsearch_data/english.stop, Snowball's list): neither
# database looks for them, so both find the same events.
STOP_WORDS = frozenset(
    "i me my myself we our ours ourselves you your yours yourself yourselves he him his "
    "himself she her hers herself it its itself they them their theirs themselves what which "
    "who whom this that these those am is are was were be been being have has had having do "
    "does did doing a an the and but if or because as until while of at by for with about "
    "against between into through during before after above below to from up down in out on "
    "off over under again further then once here there when where why how all any both each "
    "few more most other some such no nor not only own same so than too very s t can will "
    "just don should now".split()
)
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
WORD = re.compile(r"[^\W_]+")
UNIT_LEVEL = {kind: level for level, kind in enumerate(UNIT_KINDS, start=1)}


def fold(text: str) -> str:
    """Text as the index holds it and as a query is read: its words only, separated by one
    space, without accents, Arabic marks or links, Arabic letter variants as one; case kept."""
    if not text:
        return ""
    text = strip_accents(URL.sub(" ", text))
    text = ARABIC_MARKS.sub("", text).translate(ARABIC_FOLDS)
    return " ".join(WORD.findall(text))


# --------------------------------------------------------------------------- the documents


def documents(ids: Iterable[int]) -> list[EventSearch]:
    """The search documents of these events (those that exist). Three queries, and one more
    for each level of merges below them."""
    rows = {
        r["pk"]: r
        for r in Event.objects.filter(pk__in=list(ids)).values(
            "pk", "title", "description", "source_text"
        )
    }
    # The events merged into them, at any depth: their sources are the survivor's too.
    children, texts = defaultdict(list), {}
    frontier, seen = list(rows), set(rows)
    while frontier:
        merged = Event.objects.filter(
            merged_into__in=frontier, status=Event.Status.MERGED
        ).values_list("pk", "merged_into_id", "source_text")
        frontier = []
        for pk, into, text in merged:
            children[into].append(pk)
            texts[pk] = text
            if pk not in seen:
                seen.add(pk)
                frontier.append(pk)
    quotes = defaultdict(list)
    cited = (
        Evidence.objects.filter(event_id__in=list(seen))
        .order_by("event_id", "report_id", "start")
        .values_list("event_id", "report__title", "quote")
    )
    for event_id, title, quote in cited:
        quotes[event_id] += [title, quote]
    sources, evidence = {}, {}
    for pk, row in rows.items():
        family, stack = [pk], list(children[pk])
        while stack:
            member = stack.pop()
            if member not in family:
                family.append(member)
                stack += children[member]
        sources[pk] = [row["source_text"], *(texts[m] for m in family[1:])]
        evidence[pk] = [text for m in family for text in quotes[m]]
    return [
        EventSearch(
            event_id=pk,
            title=fold(row["title"]),
            body=fold(row["description"]),
            evidence=fold("\n".join(evidence[pk])),
            sources=fold("\n".join(sources[pk])),
        )
        for pk, row in rows.items()
    ]


def _write(docs: list[EventSearch]) -> None:
    EventSearch.objects.bulk_create(
        docs,
        update_conflicts=True,
        unique_fields=["event"],
        update_fields=["title", "body", "evidence", "sources"],
    )


def search_refresh(ids: Iterable[int]) -> int:
    """Write again the search documents of these events (after writes that send no signals:
    bulk_create, update). Returns how many were written."""
    ids = sorted(set(ids))
    written = 0
    for at in range(0, len(ids), CHUNK):
        docs = documents(ids[at : at + CHUNK])
        _write(docs)
        written += len(docs)
    return written


def survivors(ids: Iterable[int]) -> set[int]:
    """These events and the events they are finally merged into (whose documents hold their
    sources). One query per level of merges."""
    found, frontier = set(), {pk for pk in ids if pk is not None}
    while frontier:
        found |= frontier
        up = Event.objects.filter(pk__in=frontier, merged_into__isnull=False)
        frontier = set(up.values_list("merged_into_id", flat=True)) - found
    return found


def schema_ensure() -> None:
    """Create the database's index of the documents where it is missing (what migration 0016
    made; a table rebuilt by a later migration on SQLite loses its triggers)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # PostgreSQL refuses even an ALTER that changes nothing in a transaction that has
            # pending foreign-key checks: ask first.
            cursor.execute(
                "SELECT count(*) FROM pg_attribute WHERE attrelid = "
                "'events_eventsearch'::regclass AND attname = 'vector' AND NOT attisdropped"
            )
            has_column = cursor.fetchone()[0] == 1
            cursor.execute("SELECT to_regclass('events_eventsearch_vector') IS NOT NULL")
            if has_column and cursor.fetchone()[0]:
                return
        for statement in SCHEMA[connection.vendor]:
            cursor.execute(statement)


def search_rebuild(*, progress=None) -> int:
    """Every event's document written again, a chunk a transaction (killed, it is run again
    from the start and leaves nothing half-made), documents of vanished events dropped, and on
    SQLite the FTS index read again from the documents. Returns how many were written."""
    schema_ensure()
    EventSearch.objects.exclude(event__in=Event.objects.values("pk")).delete()
    ids = list(Event.objects.order_by("pk").values_list("pk", flat=True))
    written = 0
    for at in range(0, len(ids), CHUNK):
        with transaction.atomic():
            written += search_refresh(ids[at : at + CHUNK])
        if progress is not None:
            progress(written, len(ids))
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
    return written


SCHEMA = {
    "postgresql": [
        "ALTER TABLE events_eventsearch ADD COLUMN IF NOT EXISTS vector tsvector GENERATED "
        "ALWAYS AS (setweight(to_tsvector('english'::regconfig, title), 'A') || "
        "setweight(to_tsvector('english'::regconfig, body), 'B') || "
        "setweight(to_tsvector('english'::regconfig, evidence), 'C') || "
        "setweight(to_tsvector('english'::regconfig, sources), 'D')) STORED",
        "CREATE INDEX IF NOT EXISTS events_eventsearch_vector ON events_eventsearch "
        "USING GIN (vector)",
    ],
    "sqlite": [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(title, body, evidence, "
        "sources, content='events_eventsearch', content_rowid='event_id', "
        "tokenize='porter unicode61 remove_diacritics 2')",
        "CREATE TRIGGER IF NOT EXISTS events_eventsearch_insert AFTER INSERT ON "
        f"events_eventsearch BEGIN INSERT INTO {FTS_TABLE}(rowid, title, body, evidence, "
        "sources) VALUES (new.event_id, new.title, new.body, new.evidence, new.sources); END",
        "CREATE TRIGGER IF NOT EXISTS events_eventsearch_delete AFTER DELETE ON "
        f"events_eventsearch BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body, "
        "evidence, sources) VALUES ('delete', old.event_id, old.title, old.body, old.evidence, "
        "old.sources); END",
        "CREATE TRIGGER IF NOT EXISTS events_eventsearch_update AFTER UPDATE ON "
        f"events_eventsearch BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body, "
        "evidence, sources) VALUES ('delete', old.event_id, old.title, old.body, old.evidence, "
        f"old.sources); INSERT INTO {FTS_TABLE}(rowid, title, body, evidence, sources) VALUES "
        "(new.event_id, new.title, new.body, new.evidence, new.sources); END",
    ],
}


# --------------------------------------------------------------------------- following edits

# Fields of an event its own or its survivor's document reads.
DOCUMENT_FIELDS = frozenset(
    {"title", "description", "source_text", "merged_into", "merged_into_id", "status"}
)


def _event_loaded(sender, instance: Event, **kwargs) -> None:
    # The merge it had when read: a save that changes it refreshes the old survivor too.
    instance._search_merged_into = instance.__dict__.get("merged_into_id")


def _event_saved(sender, instance: Event, created: bool, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not DOCUMENT_FIELDS & set(update_fields):
        return
    before = getattr(instance, "_search_merged_into", None)
    instance._search_merged_into = instance.merged_into_id
    if created:  # no evidence yet, nothing merged into it: its own fields are its document
        _write(
            [
                EventSearch(
                    event_id=instance.pk,
                    title=fold(instance.title),
                    body=fold(instance.description),
                    evidence="",
                    sources=fold(instance.source_text),
                )
            ]
        )
        others = {instance.merged_into_id} - {None}
    else:
        others = {instance.pk, before, instance.merged_into_id} - {None}
    if others:
        search_refresh(survivors(others))


def _event_deleted(sender, instance: Event, **kwargs) -> None:
    if instance.merged_into_id is not None:
        search_refresh(survivors([instance.merged_into_id]))


def _evidence_changed(sender, instance: Evidence, origin=None, **kwargs) -> None:
    if isinstance(origin, Event) or getattr(origin, "model", None) is Event:
        return  # deleted with its event: nothing to refresh
    search_refresh(survivors([instance.event_id]))


def _report_saved(sender, instance: Report, created: bool, **kwargs) -> None:
    if created:
        return  # nothing cites it yet
    cited = Evidence.objects.filter(report=instance).values_list("event_id", flat=True)
    ids = set(cited)
    if ids:
        search_refresh(survivors(ids))


def signals_connect() -> None:
    """Keep the documents current on every save that sends signals (events/apps.py)."""
    post_init.connect(_event_loaded, sender=Event, dispatch_uid="search-event-init")
    post_save.connect(_event_saved, sender=Event, dispatch_uid="search-event-saved")
    post_delete.connect(_event_deleted, sender=Event, dispatch_uid="search-event-deleted")
    post_save.connect(_evidence_changed, sender=Evidence, dispatch_uid="search-evidence-saved")
    post_delete.connect(_evidence_changed, sender=Evidence, dispatch_uid="search-evidence-deleted")
    post_save.connect(_report_saved, sender=Report, dispatch_uid="search-report-saved")


# --------------------------------------------------------------------------- reading a query


@dataclass
class Term:
    """Words of a query that must be found together: a word, or the words naming a place.
    A place's term is also found by the events at (or in) the place and by the texts that
    name it in any of its spellings (`phrases`)."""

    words: tuple[str, ...]
    places: list = field(default_factory=list)  # gazetteer entries (geocoder.Entry)
    phrases: list[tuple[str, ...]] = field(default_factory=list)

    def alternatives(self) -> list[tuple[str, ...]]:
        """What the text may contain for this term: the words typed, or a spelling of the
        place (each a phrase)."""
        found = [self.words]
        for phrase in self.phrases:
            if phrase not in found:
                found.append(phrase)
        return found[: MAX_NAMES + 1]


@dataclass
class Query:
    terms: list[Term]

    @property
    def places(self) -> list:
        return [place for term in self.terms for place in term.places]


def query_words(text: str) -> list[str]:
    """A query's words: folded like the documents, lower-case, without stop words or
    repeats; at most MAX_WORDS."""
    words = []
    for word in fold(text).lower().split():
        if word not in STOP_WORDS and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def query_read(text: str) -> Query:
    """The terms of a query: runs of up to three words naming a place (longest first), and
    single words. A single Latin word names a place only when the texts never use it as an
    ordinary lower-case word ("town", "shell", "mine" and "raid" are the keys of villages);
    one query each such word."""
    from events.gazetteer.geocoder import place_index

    index = place_index()
    words, terms, at = query_words(text), [], 0
    while at < len(words):
        for size in (3, 2, 1):
            gram = tuple(words[at : at + size])
            if len(gram) < size:
                continue
            key = place_key(" ".join(gram))
            entries = index.by_key.get(key, []) if len(key.removeprefix("ar:")) >= 3 else []
            if entries and (size > 1 or key.startswith("ar:") or not _ordinary_word(gram[0])):
                terms.append(Term(gram, list(entries), _spellings(entries, key)))
                at += size
                break
        else:
            terms.append(Term((words[at],)))
            at += 1
    return Query(terms)


def _spellings(entries: list, key: str) -> list[tuple[str, ...]]:
    """The places' names that are spellings of one name (their keys are the name's, its
    Arabic name's or the query's: old names and odd aliases are left out), as word tuples, with
    and without a leading article."""
    keys = {key} | {place_key(e.name) for e in entries}
    phrases: list[tuple[str, ...]] = []
    for entry in entries:
        for name in sorted(entry.names):
            if place_key(name) not in keys and not ARABIC_LETTERS.search(name):
                continue
            words = tuple(fold(name).lower().split())
            variants = [words]
            if len(words) > 1 and words[0] in ARTICLES:
                variants.append(words[1:])
            if ARABIC_LETTERS.search(name) and words and words[0].startswith("ال"):
                variants.append((words[0][2:], *words[1:]))
            for phrase in variants:
                meaningful = [w for w in phrase if w not in STOP_WORDS and len(w) >= 3]
                if meaningful and phrase not in phrases:
                    phrases.append(phrase)
    return phrases[:MAX_NAMES]


def _ordinary_word(word: str) -> bool:
    """Whether some document uses the word in lower case, as a word of the language and not a
    name. One query (the full-text index first, then the case of the words it found)."""
    if connection.vendor == "postgresql":
        sql = (
            "SELECT 1 FROM events_eventsearch WHERE vector @@ plainto_tsquery('english', %s) "
            "AND (' ' || title || ' ' || body || ' ' || evidence || ' ' || sources || ' ') "
            "LIKE %s LIMIT 1"
        )
        params = [word, f"% {word} %"]
    else:
        sql = (
            f"SELECT 1 FROM {FTS_TABLE} f JOIN events_eventsearch s ON s.event_id = f.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND (' ' || s.title || ' ' || s.body || ' ' || "
            "s.evidence || ' ' || s.sources || ' ') GLOB %s LIMIT 1"
        )
        params = [_fts_phrase((word,)), f"* {word} *"]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() is not None


# --------------------------------------------------------------------------- the SQL


def _fts_phrase(words: tuple[str, ...]) -> str:
    """An FTS5 string: words in double quotes are a phrase, never operators or syntax."""
    return '"' + " ".join(words).replace('"', '""') + '"'


def _fts_any(alternatives: list[tuple[str, ...]]) -> str:
    return "(" + " OR ".join(_fts_phrase(a) for a in alternatives) + ")"


def _tsquery_any(alternatives: list[tuple[str, ...]]) -> tuple[str, list[str]]:
    """A tsquery (SQL and its parameters) matching any of the phrases."""
    parts = [
        "phraseto_tsquery('english'::regconfig, %s)"
        if len(a) > 1
        else "plainto_tsquery('english'::regconfig, %s)"
        for a in alternatives
    ]
    return "(" + " || ".join(parts) + ")", [" ".join(a) for a in alternatives]


def _matching(alternative_sets: list[list[tuple[str, ...]]], places: list = ()) -> RawSQL:
    """The ids of the events whose documents match every set (each: any of its phrases), and
    of the events at (or in) the places: one union of indexed lookups (an OR of conditions on
    the events would read every event)."""
    if connection.vendor == "postgresql":
        parts, params = [], []
        for alternatives in alternative_sets:
            sql, values = _tsquery_any(alternatives)
            parts.append(sql)
            params += values
        tsquery = " && ".join(parts)
        selects = [f"SELECT event_id FROM events_eventsearch WHERE vector @@ ({tsquery})"]
    else:
        params = [" AND ".join(_fts_any(a) for a in alternative_sets)]
        selects = [f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"]
    by_column = defaultdict(list)
    for place in places:
        by_column["place_id"].append(place.pk)
        if place.kind in UNIT_LEVEL:
            by_column[f"admin{UNIT_LEVEL[place.kind]}_id"].append(place.pk)
    for column, ids in by_column.items():
        marks = ", ".join(["%s"] * len(ids))
        selects.append(f"SELECT id FROM events_event WHERE {column} IN ({marks})")
        params += ids
    return RawSQL(" UNION ALL ".join(selects), params)


def _rank(alternatives: list[tuple[str, ...]]) -> RawSQL:
    """How well an event's document matches any of the phrases (higher is better; no row when
    it matches none)."""
    if connection.vendor == "postgresql":
        tsquery, params = _tsquery_any(alternatives)
        return RawSQL(
            f"SELECT ts_rank(vector, {tsquery}) FROM events_eventsearch "
            'WHERE event_id = "events_event"."id"',
            params,
            output_field=FloatField(),
        )
    # The matches' scores once (materialized, indexed by SQLite), not a full-text query for
    # each event: 0.5 s instead of minutes when 100,000 events match.
    return RawSQL(
        f"WITH scores AS MATERIALIZED (SELECT rowid, -bm25({FTS_TABLE}, {BM25_WEIGHTS}) AS "
        f"score FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s) "
        'SELECT score FROM scores WHERE scores.rowid = "events_event"."id"',
        [_fts_any(alternatives)],
        output_field=FloatField(),
    )


def events_search(events: QuerySet, text: str) -> QuerySet:
    """The events matching the query, with `search_rank` to order them by (ranked_order).
    Runs one query for each single word that may name a place; the rest is the returned
    query's. A query with no word to look for (only stop words or signs) finds nothing."""
    query = query_read(text)
    if not query.terms:
        return events.none()
    plain = [[t.words] for t in query.terms if not t.places]
    condition = Q(pk__in=_matching(plain)) if plain else Q()
    for term in query.terms:
        if term.places:
            condition &= Q(pk__in=_matching([term.alternatives()], term.places))
    everything = [a for t in query.terms for a in t.alternatives()]
    rank = Coalesce(_rank(everything), 0.0, output_field=FloatField())
    return events.filter(condition).alias(search_rank=rank)


def ranked_order(events: QuerySet, *default: str) -> QuerySet:
    """Best match first (then the latest) when the events come from a search; else `default`."""
    if "search_rank" in events.query.annotations:
        return events.order_by("-search_rank", "-date_start", "-id")
    return events.order_by(*default)
