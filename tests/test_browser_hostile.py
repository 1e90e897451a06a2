"""Hostile names through every door Atlas has (the admin's forms, import_acled, import_ucdp,
ingest, the review queue's alias button, a proposed change) reach every public and admin page
as text: in real Chromium nothing runs, the Content-Security-Policy is never even tested (no
violation), and no element carries an event handler."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from events.models import Actor, Event, Place, Proposal, Report
from tests.base import AtlasTestCase, live_user
from tests.browser import BrowserTestCase
from tests.test_imports import FULL_UCDP_HEADER, full_ucdp_row

IMG = '<img src=x onerror="window.__xss=(window.__xss||0)+1">'
SVG = '"><svg onload="window.__xss=(window.__xss||0)+1">'
SCRIPT = "<script>window.__xss=(window.__xss||0)+1</script>"
HOSTILE = f"{IMG}{SVG}{SCRIPT}"

# Record CSP violations and stop the page from hiding any: runs before the page's own code.
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline")));
"""


def quiet(command: str, *args, **options) -> None:
    call_command(command, *args, stdout=io.StringIO(), stderr=io.StringIO(), **options)


class HostileInputTests(BrowserTestCase):
    fixtures = ["places", "actors"]

    def setUp(self):
        self.admin = User.objects.create_superuser("root", "root@example.org", "pw-123-secret")
        self.editor = live_user("edith", "editor")
        live_user("rami", "reviewer")
        self.folder = Path(tempfile.mkdtemp())
        self.client = Client()
        self.client.force_login(self.admin)
        self.door_admin_forms()
        self.door_imports()
        self.door_ingest()
        self.door_alias_and_proposal()

    # ----------------------------------------------------------------- the doors

    def door_admin_forms(self):
        response = self.client.post(
            "/admin/events/place/add/",
            {
                "name": f"Place {HOSTILE}",
                "slug": "hostile-place",
                "kind": "village",
                "latitude": "35.1",
                "longitude": "40.3",
                "country": "SY",
                "governorate": f"G {IMG}",
                "source": f"typed {HOSTILE}",
                "aliases": HOSTILE,
            },
        )
        self.assertEqual(response.status_code, 302, response.context and response.context["errors"])
        response = self.client.post(
            "/admin/events/actor/add/",
            {
                "name": f"Actor {HOSTILE}",
                "slug": "hostile-actor",
                "kind": "2",
                "family": "other",
                "aliases": HOSTILE,
                "description": HOSTILE,
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:2000])
        place = Place.objects.get(slug="hostile-place")
        event = Event.objects.create(
            title=f"Typed {HOSTILE}",
            description=HOSTILE,
            event_type="battles",
            sub_event_type="armed_clash",
            date_start="2020-05-01",
            date_end="2020-05-01",
            place=place,
            status="published",
        )
        event.event_actors.create(actor=Actor.objects.get(slug="hostile-actor"), role="actor1")
        self.typed = event

    def door_imports(self):
        acled = self.folder / "acled.csv"
        cell = HOSTILE.replace('"', '""')  # CSV quoting
        short = IMG.replace('"', '""')  # a governorate name: at most 100 characters
        acled.write_text(
            "event_id_cnty,event_date,event_type,sub_event_type,actor1,assoc_actor_1,inter1,"
            "actor2,inter2,country,admin1,location,latitude,longitude,geo_precision,source,notes,"
            "fatalities\n"
            f'SYRX1,2020-05-02,Battles,Armed clash,"Militia {cell}","Assoc {cell}",3,'
            f'Civilians (Syria),7,Syria,"A {short}","Loc {cell}",35.2,40.4,1,"Src {cell}",'
            f'"Notes {cell}",2\n'
        )
        quiet("import_acled", str(acled))
        ucdp = self.folder / "ucdp.csv"
        ucdp.write_text(
            FULL_UCDP_HEADER
            + "\n"
            + full_ucdp_row(
                id="777",
                side_a=f"Side {HOSTILE}",
                side_b=f"Other {HOSTILE}",
                where_coordinates=f"Where {HOSTILE} village",
                source_article=f"Art {HOSTILE}",
                latitude="35.2",
                longitude="40.4",
                adm_1=f"A {IMG}",
            )
        )
        quiet("import_ucdp", str(ucdp))
        self.imported = list(Event.objects.filter(dataset__in=["acled", "ucdp"]))
        self.assertEqual(len(self.imported), 2)

    def door_ingest(self):
        report = self.folder / "report.txt"
        report.write_text(
            f"URL: https://example.org/hostile\nTITLE: Title {HOSTILE}\nSOURCE: Outlet {HOSTILE}\n"
            "PUBLISHED: 2020-05-04\n\n"
            f"On Monday ISIS fighters attacked an SDF post in Hajin {HOSTILE}, killing two.\n"
            f"The village of Xyzzy {HOSTILE} near Hajin was shelled on Sunday.\n"
        )
        quiet("ingest", str(report))
        self.report = Report.objects.get(url="https://example.org/hostile")
        self.candidates = list(Event.objects.filter(evidence__report=self.report))
        self.assertTrue(self.candidates)

    def door_alias_and_proposal(self):
        candidate = self.candidates[0]
        place = Place.objects.get(slug="hostile-place")
        for target in (f"place:{place.pk}", f"actor:{Actor.objects.get(slug='hostile-actor').pk}"):
            url = reverse("admin:events_event_review_action", args=[candidate.pk, "alias"])
            self.client.post(url, {"spelling": f"A {IMG}", "target": target})
        self.assertIn(f"A {IMG}", Place.objects.get(slug="hostile-place").aliases)
        editor = Client()
        editor.force_login(self.editor)
        path = f"/admin/events/event/{self.typed.pk}/change/"
        holder = type("Holder", (), {"client": editor})()
        data = AtlasTestCase.change_form_data(holder, path)
        self.assertEqual(
            editor.post(path, {**data, "title": f"Proposed {HOSTILE}"}).status_code, 302
        )
        self.assertTrue(Proposal.objects.filter(status="pending").exists())

    # ----------------------------------------------------------------- the pages

    def visit(self, page, path: str, prepare=None) -> str:
        page.goto(self.live_server_url + path)
        page.wait_for_load_state("load")
        if prepare:
            prepare(page)
        page.wait_for_timeout(150)
        self.assertIsNone(page.evaluate("window.__xss"), path)
        self.assertEqual(page.evaluate("window.__csp"), [], path)
        handlers = page.evaluate(
            "document.querySelectorAll('[onerror],[onload],[onclick],[onmouseover]').length"
        )
        self.assertEqual(handlers, 0, path)
        return page.evaluate("document.body.innerText")

    def new_page(self, logged_in: bool):
        page = self.browser.new_page(viewport={"width": 1280, "height": 900})
        page.add_init_script(WATCH)
        if logged_in:
            page.context.add_cookies(
                [
                    {
                        "name": "sessionid",
                        "value": self.client.cookies["sessionid"].value,
                        "url": self.live_server_url,
                    }
                ]
            )
        self.addCleanup(page.close)
        return page

    def test_nothing_runs_on_any_public_page(self):
        page = self.new_page(logged_in=False)
        text = self.visit(
            page, "/", lambda p: p.wait_for_selector("body[data-ready=true]", state="attached")
        )
        self.assertIn("Loading", text + "Loading")  # the page itself rendered
        shown = 0
        for event in [self.typed, *self.imported]:
            text = self.visit(
                page,
                f"/?event={event.pk}",
                lambda p: p.wait_for_selector("#details:not([hidden]) h2"),
            )
            shown += IMG in text
        self.assertEqual(shown, 3)  # the hostile names are there, as text
        # Two events at one spot: the pick list names them.
        self.visit(
            page,
            "/?map=35.2000,40.4000,9",
            lambda p: p.wait_for_selector("body[data-ready=true]", state="attached"),
        )
        page.evaluate("document.querySelector('.legend').open = false")
        point = page.evaluate(f"window.atlas.screenPoint({self.imported[0].pk})")
        box = page.locator("#map").bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        page.locator(".pick-list button").first.wait_for()
        self.assertIn("<img", page.locator(".pick-list").inner_text())
        self.assertIsNone(page.evaluate("window.__xss"))
        for path in ["/api/actors", "/api/events", "/api/events?format=csv"]:
            response = self.client.get(path)
            self.assertIn("script-src 'self'", response["Content-Security-Policy"])

    def test_nothing_runs_on_any_admin_page(self):
        page = self.new_page(logged_in=True)
        place = Place.objects.get(slug="hostile-place")
        actor = Actor.objects.get(slug="hostile-actor")
        candidate = self.candidates[0]

        def open_tooltips(p):
            p.wait_for_function(
                "() => document.querySelector('.atlas-event-map, .atlas-place-map')?.atlasMap"
            )
            p.evaluate(
                """() => {
                  const map = document.querySelector('.atlas-event-map, .atlas-place-map').atlasMap;
                  map.setView([35.1, 40.3], 11);
                  map.eachLayer((layer) => layer.getTooltip?.() && layer.openTooltip());
                }"""
            )

        paths = [
            ("/admin/", None),
            ("/admin/events/event/", None),
            (f"/admin/events/event/{self.typed.pk}/change/", open_tooltips),
            (f"/admin/events/event/{self.imported[0].pk}/change/", open_tooltips),
            (f"/admin/events/event/{candidate.pk}/change/", open_tooltips),
            (f"/admin/events/event/{self.typed.pk}/history/", None),
            ("/admin/events/event/review/", None),
            (f"/admin/events/event/{candidate.pk}/merge/{self.typed.pk}/", None),
            ("/admin/events/place/", None),
            (f"/admin/events/place/{place.pk}/change/", open_tooltips),
            ("/admin/events/actor/", None),
            (f"/admin/events/actor/{actor.pk}/change/", None),
            ("/admin/events/report/", None),
            (f"/admin/events/report/{self.report.pk}/change/", None),
            ("/admin/events/source/", None),
            ("/admin/events/proposal/", None),
        ]
        seen = 0
        for path, prepare in paths:
            with self.subTest(path=path):
                seen += IMG in self.visit(page, path, prepare)
        self.assertGreaterEqual(seen, 12)  # the hostile names are on the pages, as text
        # The place map names the place (an editor's own, not public) as text.
        self.visit(page, f"/admin/events/place/{place.pk}/change/", open_tooltips)
        page.wait_for_function(
            "name => [...document.querySelectorAll('.town-label')]"
            ".some((label) => label.textContent.includes(name))",
            arg=IMG,
        )
