"""The review queue in real Chromium: highlighted evidence, one-step alias, accept, correct the
place on the map and come back, reject only for reviewers."""

from datetime import date

from django.contrib.auth.models import User

from events.models import Actor, Event, EventActor, Evidence, Place, Report, Source
from tests.base import live_user
from tests.browser import BrowserTestCase

TEXT = (
    "Deir ez-Zor, 10 September.\n"
    "Fighting went on all day. ISIS <img src=x onerror=window.__hacked=1> fighters attacked "
    "an SDF post in Hajeen, killing two. The SDF answered with mortars.\n"
    "Another paragraph."
)
QUOTE = (
    "ISIS <img src=x onerror=window.__hacked=1> fighters attacked an SDF post in Hajeen, "
    "killing two."
)


class ReviewQueueBrowserTests(BrowserTestCase):
    fixtures = ["places", "actors"]

    def setUp(self):
        self.reviewer = self.user("rami", "reviewer")
        self.editor = self.user("edith", "editor")
        report = Report.objects.create(
            source=Source.objects.create(name="Deir Ezzor 24"),
            title="Clashes in Hajin",
            published=date(2018, 9, 10),
            text=TEXT,
        )
        self.hajin = Place.objects.get(slug="hajin")
        self.event = Event.objects.create(
            title="ISIS attacks an SDF post in Hajin",
            event_type="battles",
            sub_event_type="armed_clash",
            date_start=date(2018, 9, 10),
            date_end=date(2018, 9, 10),
            place=self.hajin,
            confidence=0.8,
            status=Event.Status.EXTRACTED,
        )
        EventActor.objects.create(
            event=self.event, actor=Actor.objects.get(slug="islamic-state"), role="actor1"
        )
        start = TEXT.index(QUOTE)
        Evidence.objects.create(
            event=self.event, report=report, quote=QUOTE, start=start, end=start + len(QUOTE)
        )

    @staticmethod
    def user(name: str, group: str) -> User:
        return live_user(name, group)

    def item(self, page):
        return page.locator(f"#event-{self.event.pk}")

    def test_a_reviewer_adds_an_alias_from_the_sentence_and_publishes(self):
        page = self.open_admin_page(self.reviewer, "/admin/events/event/review/")
        item = self.item(page)
        mark = item.locator("mark")
        self.assertEqual(mark.inner_text(), QUOTE)  # the sentence, as text, highlighted
        self.assertIn("Fighting went on all day.", item.locator(".atlas-paragraph").inner_text())
        self.assertIsNone(page.evaluate("window.__hacked"))

        # Select "Hajeen" in the sentence: the alias form picks it up.
        page.evaluate(
            """() => {
              const node = document.querySelector('mark').firstChild;
              const at = node.textContent.indexOf('Hajeen');
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + 'Hajeen'.length);
              const selection = window.getSelection();
              selection.removeAllRanges();
              selection.addRange(range);
            }"""
        )
        mark.dispatch_event("mouseup")
        spelling = item.locator(".atlas-alias input[name=spelling]")
        self.assertEqual(spelling.input_value(), "Hajeen")
        item.locator(".atlas-alias select").select_option(f"place:{self.hajin.pk}")
        item.get_by_role("button", name="Add alias").click()
        page.wait_for_load_state("load")
        self.assertIn("is now an alias of Hajin", page.locator(".messagelist").inner_text())
        self.hajin.refresh_from_db()
        self.assertIn("Hajeen", self.hajin.aliases)

        self.item(page).get_by_role("button", name="Accept and publish").click()
        page.wait_for_load_state("load")
        self.assertIn("Published", page.locator(".messagelist").inner_text())
        self.assertEqual(self.item(page).count(), 0)  # it has left the queue
        self.event.refresh_from_db()
        self.assertEqual(self.event.status, "published")
        self.assertEqual(self.console_errors, [])

    def test_an_editor_corrects_the_place_on_the_map_and_comes_back(self):
        page = self.open_admin_page(self.editor, "/admin/events/event/review/")
        item = self.item(page)
        self.assertEqual(item.get_by_role("button", name="Reject").count(), 0)
        item.get_by_role("link", name="Correct").click()
        page.wait_for_selector(".atlas-event-map .leaflet-marker-icon")

        abu_kamal = Place.objects.get(slug="abu-kamal")
        point = page.evaluate(
            """([lat, lon]) => {
              const container = document.querySelector('.atlas-event-map');
              container.scrollIntoView();
              const map = container.atlasMap;
              map.setView([lat, lon], 12, { animate: false });
              const p = map.latLngToContainerPoint([lat, lon]);
              const box = container.getBoundingClientRect();
              return [box.left + p.x, box.top + p.y];
            }""",
            [abu_kamal.latitude, abu_kamal.longitude],
        )
        page.mouse.click(*point)
        self.assertEqual(page.locator("#id_place").input_value(), str(abu_kamal.pk))
        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_load_state("load")
        self.assertIn("/admin/events/event/review/", page.url)  # back in the queue
        self.event.refresh_from_db()
        self.assertEqual(self.event.place, abu_kamal)
        self.assertEqual(self.event.status, "extracted")
        self.item(page).get_by_role("button", name="Accept: submit for review").click()
        page.wait_for_load_state("load")
        self.event.refresh_from_db()
        self.assertEqual(self.event.status, "in_review")
        self.assertEqual(self.console_errors, [])
