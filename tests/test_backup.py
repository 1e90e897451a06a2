"""Backups: a dump restored into an empty database answers the public API byte for byte as
the original did, keeps the history, users and groups; natural keys are unique."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, TransactionTestCase
from reversion.models import Version

from events.models import Event, EventActor, Evidence
from tests.base import AtlasTestCase, GazetteerFixture, live_user

PATHS = [
    "/api/events",
    "/api/events?format=compact",
    "/api/events?format=csv",
    "/api/actors",
    "/api/timeline?interval=week",
]


class BackupRestoreTests(GazetteerFixture, TransactionTestCase):
    fixtures = ["places", "actors", "seed"]

    def setUp(self):
        self.client = Client()
        self.reviewer = live_user("rami", "reviewer")
        live_user("edith", "editor")
        self.client.force_login(self.reviewer)
        # History made the way editors make it: a change through the admin, and an event
        # added there (keyed by a UUID, not by an empty dataset and id).
        event = Event.objects.published().order_by("pk").first()
        path = f"/admin/events/event/{event.pk}/change/"
        data = AtlasTestCase.change_form_data(self, path)
        self.assertEqual(
            self.client.post(path, {**data, "title": "Renamed in the admin"}).status_code, 302
        )
        added = {
            **data,
            "title": "Added in the admin",
            "loaded_at": "",
            "dataset": "",
            "import_ref": "",
        }
        for key in [k for k in added if k.startswith(("event_actors-", "evidence-"))]:
            del added[key]
        added |= {
            f"{prefix}-{name}": "0"
            for prefix in ("event_actors", "evidence")
            for name in ("TOTAL_FORMS", "INITIAL_FORMS")
        }
        response = self.client.post("/admin/events/event/add/", added)
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        self.event = event

    def public_answers(self) -> dict[str, tuple]:
        cache.clear()  # compare what the database gives, not a cached body
        answers = {}
        for path in [*PATHS, f"/api/events/{self.event.pk}"]:
            response = Client().get(path)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            answers[path] = (
                response.status_code,
                response["ETag"] if response.has_header("ETag") else "",
                body,
            )
        return answers

    @staticmethod
    def history() -> list[tuple]:
        return sorted(
            (
                v.pk,
                v.content_type.model,
                v.object_id,
                v.serialized_data,
                v.revision.get_comment(),
                v.revision.user and v.revision.user.username,
                v.revision.date_created,
            )
            for v in Version.objects.select_related("revision__user", "content_type")
        )

    def test_a_backup_restored_into_an_empty_database_is_the_same_database(self):
        before, history = self.public_answers(), self.history()
        self.assertTrue(any("Renamed in the admin" in v[3] for v in history))
        path = Path(tempfile.mkdtemp()) / "atlas.json.gz"
        call_command("backup", output=path, stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("flush", interactive=False, verbosity=0)  # an empty database
        self.assertFalse(Event.objects.exists() or Group.objects.exists())
        call_command("restore", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertEqual(self.public_answers(), before)
        self.assertEqual(self.history(), history)
        rami = User.objects.get(username="rami")
        self.assertTrue(rami.check_password("pw-123-secret"))
        self.assertTrue(rami.has_perm("events.publish_event"))
        self.assertEqual(
            sorted(Group.objects.values_list("name", flat=True)), ["editor", "reviewer"]
        )

    def test_a_restore_refuses_a_database_that_holds_data(self):
        path = Path(tempfile.mkdtemp()) / "atlas.json.gz"
        call_command("backup", output=path, stdout=open("/dev/null", "w"))  # noqa: SIM115
        with self.assertRaisesMessage(CommandError, "already holds users, outlets, reports"):
            call_command("restore", str(path))
        call_command("restore", str(path), replace=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertTrue(Event.objects.filter(title="Added in the admin").exists())

    def test_every_object_has_a_natural_key_of_its_own(self):
        for model in (Event, EventActor, Evidence):
            keys = [obj.natural_key() for obj in model.objects.all()]
            self.assertEqual(len(keys), len(set(keys)), model.__name__)
        added = Event.objects.get(title="Added in the admin")
        self.assertEqual(added.dataset, "atlas")
        self.assertEqual(len(added.import_ref), 32)
