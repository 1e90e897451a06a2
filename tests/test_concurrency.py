"""Editors at the same time: N saves of one object at once through a live server, on the
database the suite runs on. Each answer is "saved" or "someone saved after you", never a
server error; the row holds the one saved value; its history holds exactly the saves."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from django.conf import settings
from django.db import connection
from django.test import Client
from reversion.models import Version

from events.models import Actor, Event, Place, Report, Source
from tests.base import AtlasTestCase, LiveTestCase, live_user
from tests.test_imports import FULL_UCDP_HEADER, full_ucdp_row, run

N = 10
CSRF = "a" * 32  # the CSRF secret, sent as cookie and as form field


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def post(url: str, data: dict, session: str) -> tuple[int, str]:
    """POST as a browser would (session and CSRF cookies); the status and body, redirects
    not followed."""
    opener = urllib.request.build_opener(
        NoRedirect, urllib.request.HTTPCookieProcessor(CookieJar())
    )
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": CSRF}, doseq=True).encode()
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Cookie", f"sessionid={session}; csrftoken={CSRF}")
    request.add_header("Referer", url)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


class ConcurrentSaveTests(LiveTestCase):
    def setUp(self):
        super().setUp()
        self.reviewer = live_user("rami", "reviewer")
        self.client = Client()
        self.client.force_login(self.reviewer)
        self.session = self.client.cookies["sessionid"].value

    def form_data(self, path: str) -> dict:
        return AtlasTestCase.change_form_data(self, path)

    def save_at_once(self, obj, field: str) -> None:
        """N threads post the same opened form, each with its own value of `field`."""
        model = type(obj)
        path = f"/admin/events/{model._meta.model_name}/{obj.pk}/change/"
        data = self.form_data(path)
        before = Version.objects.get_for_object(obj).count()
        barrier = threading.Barrier(N)
        answers: list[tuple[str, int, str]] = [None] * N  # type: ignore[list-item]

        def one(i: int) -> None:
            value = f"Value {i} of {field}"
            barrier.wait()
            status, body = post(self.live_server_url + path, {**data, field: value}, self.session)
            answers[i] = (value, status, body)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(N)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        saved = [value for value, status, _ in answers if status == 302]
        refused = [
            value
            for value, status, body in answers
            if status == 200 and re.search(r"rami saved this \w+ at .*after you opened it", body)
        ]
        statuses = sorted(status for _, status, _ in answers)
        self.assertEqual(len(saved) + len(refused), N, f"answers: {statuses}")
        self.assertEqual(len(saved), 1, f"answers: {statuses}")  # all opened the same version
        obj.refresh_from_db()
        self.assertEqual(getattr(obj, field), saved[0])
        versions = Version.objects.get_for_object(obj)
        # One baseline (the state before the first recorded change) and one version a save.
        self.assertEqual(versions.count() - before, 1 + len(saved))
        self.assertEqual(versions.first().field_dict[field], getattr(obj, field))

    def test_ten_saves_of_one_event_at_once(self):
        place = Place.objects.create(
            slug="hajin",
            name="Hajin",
            kind="city",
            latitude=34.69,
            longitude=40.83,
            country="SY",
            source="test",
        )
        event = Event.objects.create(
            title="Clashes",
            event_type="battles",
            sub_event_type="armed_clash",
            date_start="2019-01-02",
            date_end="2019-01-02",
            place=place,
            status="in_review",
        )
        self.save_at_once(event, "title")

    def test_ten_saves_of_one_actor_at_once(self):
        self.save_at_once(Actor.objects.create(name="ISIS", slug="isis", kind=2), "name")

    def test_ten_saves_of_one_place_at_once(self):
        place = Place.objects.create(
            slug="hajin",
            name="Hajin",
            kind="city",
            latitude=34.69,
            longitude=40.83,
            country="SY",
            source="test",
        )
        self.save_at_once(place, "name")

    def test_ten_saves_of_one_report_at_once(self):
        report = Report.objects.create(
            source=Source.objects.create(name="SOHR"),
            title="Clashes in Hajin",
            published="2019-01-02",
            text="Clashes broke out in Hajin between ISIS and the SDF on Tuesday.",
        )
        self.save_at_once(report, "title")


def database_env() -> dict[str, str]:
    """The environment that points a manage.py process at the test database."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": db["NAME"]}
    return {
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}"
        f"/{db['NAME']}"
    }


def ucdp_file(path, rows: int) -> None:
    """A UCDP GED file of `rows` distinct events across eastern Syria."""
    sides = ["IS", "SDF", "Syrian insurgents", "Hay'at Tahrir al-Sham"]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(FULL_UCDP_HEADER + "\n")
        for n in range(rows):
            handle.write(
                full_ucdp_row(
                    id=str(900000 + n),
                    side_b=sides[n % len(sides)],
                    where_coordinates=f"Village {n % 300} village",
                    latitude=f"{34.5 + (n % 97) * 0.02:.3f}",
                    longitude=f"{39.5 + (n % 89) * 0.02:.3f}",
                    date_start=f"2020-{1 + n % 12:02d}-{1 + n % 28:02d}",
                    date_end=f"2020-{1 + n % 12:02d}-{1 + n % 28:02d}",
                    best=str(n % 5),
                    low="",
                    high="",
                )
            )


class WorkDuringAnImportTests(LiveTestCase):
    """A long import commits in batches: while it runs, researchers read, editors log in and
    save, and nothing fails or waits for the whole file."""

    ROWS = 1500

    def test_reads_logins_and_saves_succeed_while_a_large_import_runs(self):
        reviewer = live_user("rami", "reviewer")
        self.client = Client()
        self.client.force_login(reviewer)
        session = self.client.cookies["sessionid"].value
        actor = Actor.objects.create(name="ISIS", slug="isis", kind=2)
        Event.objects.create(
            title="Clashes",
            event_type="battles",
            sub_event_type="armed_clash",
            date_start="2019-01-02",
            date_end="2019-01-02",
            status="published",
            latitude=35.0,
            longitude=40.0,
            own_coordinates=True,
        )
        folder = tempfile.mkdtemp()
        path = f"{folder}/big.csv"
        ucdp_file(path, self.ROWS)
        # The import runs as an operator runs it: its own process, on the test database.
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "import_ucdp", path, "--verbosity", "0"],
            cwd=settings.BASE_DIR,
            env=os.environ | database_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        answers, slowest = [], 0.0
        try:
            while worker.poll() is None and len(answers) < 60:
                for kind in ("read", "read", "read", "login", "save"):
                    started = time.perf_counter()
                    if kind == "read":
                        with urllib.request.urlopen(
                            self.live_server_url + "/api/events?format=compact", timeout=60
                        ) as response:
                            status = response.status
                    elif kind == "login":
                        status, _ = post(
                            self.live_server_url + "/admin/login/",
                            {"username": "rami", "password": "pw-123-secret"},
                            "",
                        )
                    else:
                        form = AtlasTestCase.change_form_data(
                            self, f"/admin/events/actor/{actor.pk}/change/"
                        )
                        status, _ = post(
                            f"{self.live_server_url}/admin/events/actor/{actor.pk}/change/",
                            {**form, "description": f"save {len(answers)}"},
                            session,
                        )
                    slowest = max(slowest, time.perf_counter() - started)
                    answers.append((kind, status, worker.poll() is None))
        finally:
            output = worker.communicate(timeout=600)[0]
        during = [a for a in answers if a[2]]
        self.assertGreaterEqual(len(during), 10, f"the import ended too soon: {answers}")
        self.assertEqual(
            [a for a in answers if a[1] not in (200, 302)], [], "every request succeeds"
        )
        self.assertEqual(worker.returncode, 0, output)
        self.assertEqual(Event.objects.filter(dataset="ucdp").count(), self.ROWS)
        print(f"\n{len(during)} requests during the import, slowest {slowest:.2f} s")

    def test_an_import_killed_half_way_is_simply_run_again(self):
        folder = tempfile.mkdtemp()
        path = f"{folder}/big.csv"
        ucdp_file(path, self.ROWS)
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "import_ucdp", path, "--verbosity", "0"],
            cwd=settings.BASE_DIR,
            env=os.environ | database_env(),
        )
        while Event.objects.filter(dataset="ucdp").count() < 300 and worker.poll() is None:
            time.sleep(0.2)
        worker.kill()  # SIGKILL: no cleanup, a batch cut in the middle
        worker.wait()
        done = Event.objects.filter(dataset="ucdp").count()
        self.assertTrue(0 < done < self.ROWS, done)
        self.assertEqual(done % 100, 0)  # only whole batches were committed

        out, _ = run("import_ucdp", path)
        self.assertIn(f"Events: {self.ROWS - done} created, 0 updated, {done} unchanged", out)
        out, _ = run("import_ucdp", path)
        self.assertIn(f"Events: 0 created, 0 updated, {self.ROWS} unchanged", out)
        self.assertEqual(Event.objects.filter(dataset="ucdp").count(), self.ROWS)
