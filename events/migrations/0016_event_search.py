# The search documents of events and the database's full-text index of them (events/search.py):
# on PostgreSQL a weighted tsvector column generated from the documents, with a GIN index; on
# SQLite an FTS5 table over the documents, kept by triggers. Then every existing event's
# document is written (`manage.py rebuild_search` does the same at any time).

import re
from collections import defaultdict

import django.db.models.deletion
from django.db import migrations, models

from events.gazetteer.keys import ARABIC_FOLDS, ARABIC_MARKS, strip_accents

FTS = "events_eventsearch_fts"
SCHEMA = {
    "postgresql": [
        "ALTER TABLE events_eventsearch ADD COLUMN vector tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('english'::regconfig, title), 'A') || "
        "setweight(to_tsvector('english'::regconfig, body), 'B') || "
        "setweight(to_tsvector('english'::regconfig, evidence), 'C') || "
        "setweight(to_tsvector('english'::regconfig, sources), 'D')) STORED",
        "CREATE INDEX events_eventsearch_vector ON events_eventsearch USING GIN (vector)",
    ],
    "sqlite": [
        f"CREATE VIRTUAL TABLE {FTS} USING fts5(title, body, evidence, sources, "
        "content='events_eventsearch', content_rowid='event_id', "
        "tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER events_eventsearch_insert AFTER INSERT ON events_eventsearch BEGIN "
        f"INSERT INTO {FTS}(rowid, title, body, evidence, sources) VALUES "
        "(new.event_id, new.title, new.body, new.evidence, new.sources); END",
        f"CREATE TRIGGER events_eventsearch_delete AFTER DELETE ON events_eventsearch BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, title, body, evidence, sources) VALUES "
        "('delete', old.event_id, old.title, old.body, old.evidence, old.sources); END",
        f"CREATE TRIGGER events_eventsearch_update AFTER UPDATE ON events_eventsearch BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, title, body, evidence, sources) VALUES "
        "('delete', old.event_id, old.title, old.body, old.evidence, old.sources); "
        f"INSERT INTO {FTS}(rowid, title, body, evidence, sources) VALUES "
        "(new.event_id, new.title, new.body, new.evidence, new.sources); END",
    ],
}
UNDO = {
    "postgresql": [
        "DROP INDEX IF EXISTS events_eventsearch_vector",
        "ALTER TABLE events_eventsearch DROP COLUMN IF EXISTS vector",
    ],
    "sqlite": [
        "DROP TRIGGER IF EXISTS events_eventsearch_insert",
        "DROP TRIGGER IF EXISTS events_eventsearch_delete",
        "DROP TRIGGER IF EXISTS events_eventsearch_update",
        f"DROP TABLE IF EXISTS {FTS}",
    ],
}
URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
WORD = re.compile(r"[^\W_]+")


def fold(text):
    """As events/search.py folds text: words only, no accents, Arabic marks or links."""
    text = strip_accents(URL.sub(" ", text or ""))
    return " ".join(WORD.findall(ARABIC_MARKS.sub("", text).translate(ARABIC_FOLDS)))


def index_create(apps, schema_editor):
    for statement in SCHEMA[schema_editor.connection.vendor]:
        schema_editor.execute(statement)


def index_drop(apps, schema_editor):
    for statement in UNDO[schema_editor.connection.vendor]:
        schema_editor.execute(statement)


def documents_fill(apps, schema_editor):
    """Every event's document: its own text, with the evidence and sources of the events
    merged into it (at any depth)."""
    Event = apps.get_model("events", "Event")
    Evidence = apps.get_model("events", "Evidence")
    EventSearch = apps.get_model("events", "EventSearch")
    merged = dict(Event.objects.filter(status="merged").values_list("pk", "merged_into_id"))

    def survivor(pk):
        seen = set()
        while pk in merged and pk not in seen:
            seen.add(pk)
            pk = merged[pk]
        return pk

    evidence, sources = defaultdict(list), defaultdict(list)
    rows = Evidence.objects.order_by("event_id", "report_id", "start")
    for event_id, title, quote in rows.values_list("event_id", "report__title", "quote"):
        evidence[event_id] += [title, quote]
        if survivor(event_id) != event_id:
            evidence[survivor(event_id)] += [title, quote]
    for pk in merged:
        sources[survivor(pk)].append(Event.objects.get(pk=pk).source_text)
    ids = list(Event.objects.order_by("pk").values_list("pk", flat=True))
    for at in range(0, len(ids), 2000):
        docs = [
            EventSearch(
                event_id=row["pk"],
                title=fold(row["title"]),
                body=fold(row["description"]),
                evidence=fold("\n".join(evidence[row["pk"]])),
                sources=fold("\n".join([row["source_text"], *sources[row["pk"]]])),
            )
            for row in Event.objects.filter(pk__in=ids[at : at + 2000]).values(
                "pk", "title", "description", "source_text"
            )
        ]
        EventSearch.objects.bulk_create(docs)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0015_event_rejection_reason"),
    ]

    operations = [
        migrations.CreateModel(
            name="EventSearch",
            fields=[
                (
                    "event",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="events.event",
                    ),
                ),
                ("title", models.TextField(blank=True)),
                ("body", models.TextField(blank=True)),
                ("evidence", models.TextField(blank=True)),
                ("sources", models.TextField(blank=True)),
            ],
        ),
        migrations.RunPython(index_create, index_drop),
        migrations.RunPython(documents_fill, migrations.RunPython.noop),
    ]
