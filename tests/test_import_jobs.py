"""Dataset files uploaded in the admin and imported by a real worker in another process: the
queue kept in the database (the default, on SQLite and PostgreSQL alike), and RQ on the Redis
this machine runs (ATLAS_TASKS=rq)."""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client, TransactionTestCase, override_settings
from django.urls import reverse
from redis import Redis

from events.models import Event, ImportJob
from tests.base import live_user
from tests.test_concurrency import database_env
from tests.test_dataset_round_trips import ACLED_NEW

MEDIA = tempfile.mkdtemp(prefix="atlas-uploads-")


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=os.environ | database_env() | {"MEDIA_ROOT": MEDIA} | env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@override_settings(MEDIA_ROOT=MEDIA)
class AdminUploadTests(TransactionTestCase):
    fixtures = ["actors"]  # no gazetteer: the rows' places are made at their coordinates

    def setUp(self):
        self.reviewer, self.editor = live_user("rami", "reviewer"), live_user("edith", "editor")
        self.client = Client()
        self.client.force_login(self.reviewer)

    def upload(self, text: str, status: str = "published", name: str = "acled.csv"):
        path = Path(MEDIA) / name
        path.write_text(text, encoding="utf-8")
        with path.open("rb") as handle:
            return self.client.post(
                reverse("admin:events_importjob_add"),
                {"kind": "acled", "file": handle, "event_status": status},
            )

    def test_an_upload_is_imported_by_the_worker_and_reported(self):
        bad = ACLED_NEW + "SYR9903,not a date,2024,1,,Battles,Armed clash" + ",x" * 24 + "\n"
        response = self.upload(bad, name="<img src=x onerror=alert(1)>.csv")
        self.assertEqual(response.status_code, 302, response.content[:2000])
        job = ImportJob.objects.get()
        self.assertEqual((job.state, job.file_name), ("queued", "<img src=x onerror=alert(1)>.csv"))
        page = self.client.get(reverse("admin:events_importjob_change", args=[job.pk]))
        self.assertContains(page, 'http-equiv="refresh"')  # follows the job while it waits
        worker = manage("worker", "--batch")
        self.assertEqual(worker.returncode, 0, worker.stderr[-3000:])
        job.refresh_from_db()
        self.assertEqual((job.state, job.created, job.failed), ("done", 2, 1))
        self.assertIn("line 4: event_date", job.report)
        self.assertEqual(Event.objects.filter(dataset="acled").published().count(), 2)
        page = self.client.get(reverse("admin:events_importjob_change", args=[job.pk]))
        self.assertContains(page, "2 created, 0 updated")
        self.assertContains(page, "&lt;img src=x onerror=alert(1)&gt;.csv")  # a file name is text
        self.assertNotContains(page, 'http-equiv="refresh"')
        # The same file again: recognised, nothing doubled.
        self.upload(ACLED_NEW)
        manage("worker", "--batch")
        self.assertEqual(ImportJob.objects.latest("pk").unchanged, 2)
        self.assertEqual(Event.objects.filter(dataset="acled").count(), 2)

    def test_an_editor_uploads_for_review_only(self):
        self.client.force_login(self.editor)
        response = self.upload(ACLED_NEW)
        self.assertContains(response, "Only a reviewer may publish")
        self.assertEqual(self.upload(ACLED_NEW, status="in_review").status_code, 302)

    def test_a_file_that_is_not_the_datasets_fails_with_a_reason(self):
        self.upload("a,b\n1,2\n")
        manage("worker", "--batch")
        job = ImportJob.objects.get()
        self.assertEqual(job.state, "failed")
        self.assertIn("not a ACLED file: missing column(s) event_date", job.report)


class RedisQueueTests(TransactionTestCase):
    """The production path: the job goes through RQ on Redis, a worker of RQ runs it."""

    fixtures = ["actors"]

    def test_the_job_runs_through_redis(self):
        path = Path(MEDIA) / "redis.csv"
        path.write_text(ACLED_NEW, encoding="utf-8")
        # A Redis database of this run's own (CI runs SQLite and PostgreSQL side by side).
        url = f"redis://127.0.0.1:6379/{14 if connection.vendor == 'sqlite' else 15}"
        Redis.from_url(url).flushdb()
        redis = {"ATLAS_TASKS": "rq", "REDIS_URL": url}
        enqueue = manage(
            "shell", "-c",
            "from django.core.files import File; from events.models import ImportJob; "
            "from events.importers.jobs import job_enqueue; "
            f"job = ImportJob(kind='acled', event_status='published', file_name='redis.csv'); "
            f"job.file.save('redis.csv', File(open({str(path)!r}, 'rb'))); job_enqueue(job)",
            **redis,
        )  # fmt: skip
        self.assertEqual(enqueue.returncode, 0, enqueue.stderr[-3000:])
        job = ImportJob.objects.get()
        self.assertEqual(job.state, "queued")
        worker = manage("worker", "--batch", **redis)
        self.assertEqual(worker.returncode, 0, worker.stderr[-3000:])
        job.refresh_from_db()
        self.assertEqual((job.state, job.created), ("done", 2), job.report)
