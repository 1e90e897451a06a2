"""Backups that load back: every row Atlas keeps, in a portable, compressed JSON dump.

The dump keeps primary keys (the history refers to objects by them) and refers to content
types, permissions and groups by their natural keys, so it loads into any new database,
SQLite or PostgreSQL, whatever ids that database gave its content types. Sessions, login
attempts and caches are left out: they are not data.

For very large databases the engines' own tools are faster (README: Backups): sqlite3's
`.backup` and pg_dump / pg_restore.
"""

from __future__ import annotations

import gzip
from itertools import islice
from pathlib import Path

import orjson
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.serializers.python import Serializer as PythonSerializer
from django.db import transaction

from events.models import Actor, Event, Place, Report, Source

# What a dump holds, in the order loading needs it.
MODELS = [
    "auth.group",
    "auth.user",
    "events.source",
    "events.report",
    "events.actor",
    "events.place",
    "events.event",
    "events.eventactor",
    "events.evidence",
    "reversion.revision",
    "reversion.version",
    "admin.logentry",
]


class BackupError(ValueError):
    """A restore that would mix two databases' data."""


def database_backup(path: Path) -> int:
    """Write the dump to `path` (gzipped when it ends in .gz); the number of objects.

    Django's own JSON dump rounds times to the millisecond (DjangoJSONEncoder): restored,
    the data would no longer be the same (its ETags change, the history's times move). So
    the objects are serialised by Django's python serializer and written by orjson, which
    keeps microseconds; loaddata reads the file as ordinary Django JSON. Streamed: memory
    stays flat whatever the size of the database.

    Atlas's rows keep their ids, so a reference between them is written as the id (loaded
    without a lookup per row: 16,000 places refer to their units); references to Django's
    own rows (content types, permissions, users) by natural key.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if path.suffix == ".gz" else open
    count = 0
    with opener(path, "wb") as out:
        out.write(b"[")
        for label in MODELS:
            model = apps.get_model(label)
            rows = model._base_manager.order_by("pk").iterator(chunk_size=2000)
            while chunk := list(islice(rows, 2000)):
                for data in DumpSerializer().serialize(chunk, use_natural_foreign_keys=True):
                    out.write(b",\n" if count else b"\n")
                    out.write(orjson.dumps(data, default=str))
                    count += 1
        out.write(b"\n]\n")
    return count


class DumpSerializer(PythonSerializer):
    """Django's python serializer, writing references to Atlas's own rows as ids."""

    def handle_fk_field(self, obj, field) -> None:
        if field.related_model._meta.app_label == "events":
            self._current[field.name] = getattr(obj, field.attname)
        else:
            super().handle_fk_field(obj, field)


def holds_data() -> list[str]:
    """What in this database a restore would collide with."""
    checks = [(User, "users"), (Source, "outlets"), (Report, "reports"), (Actor, "actors")]
    checks += [(Place, "places"), (Event, "events")]
    return [name for model, name in checks if model.objects.exists()]


def database_restore(path: Path, *, replace: bool = False) -> None:
    """Load a dump into this database, which must be migrated and hold no Atlas data (or,
    with `replace`, whose data is erased first). All or nothing."""
    if replace:
        call_command("flush", interactive=False, verbosity=0)
    elif found := holds_data():
        raise BackupError(
            f"this database already holds {', '.join(found)}: restore into a new, migrated "
            "database, or pass --replace to erase this one first"
        )
    with transaction.atomic():
        # The groups the migrations made come back from the dump with their own ids.
        Group.objects.all().delete()
        call_command("loaddata", str(path), verbosity=0)
