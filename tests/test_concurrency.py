"""Editors at the same time: N saves of one object at once through a live server, on the
database the suite runs on. Each answer is "saved" or "someone saved after you", never a
server error; the row holds the one saved value; its history holds exactly the saves."""

from __future__ import annotations

import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from django.test import Client, LiveServerTestCase
from reversion.models import Version

from events.models import Actor, Event, Place, Report, Source
from tests.base import AtlasTestCase, live_user

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


class ConcurrentSaveTests(LiveServerTestCase):
    def setUp(self):
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
