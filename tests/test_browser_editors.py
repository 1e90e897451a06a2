"""The editors' side in real Chromium (issue 14, point 9): the admin home shows the review queue
with its count; rejecting asks for a reason and shows it, as text; "add as alias" refuses "the"
and "Daesh" as names of al-Mayadin with a message. No gazetteer is loaded: al-Mayadin alone is
enough, and the actors' fixture holds ISIS and its aliases."""

from __future__ import annotations

from datetime import date

from events.models import Actor, Event, EventActor, Place
from tests.base import live_user
from tests.browser import BrowserTestCase

HOSTILE = "<img src=x onerror=alert(1)>"


class EditorsBrowserTests(BrowserTestCase):
    fixtures = ["actors"]

    def setUp(self):
        self.reviewer = live_user("rami", "reviewer")
        # The first live test of a session still has the gazetteer the TestCases share.
        self.mayadin, _ = Place.objects.get_or_create(
            slug="al-mayadin",
            defaults=dict(
                name="Al-Mayadin",
                kind=Place.Kind.CITY,
                latitude=35.0196,
                longitude=40.4527,
                country="SY",
                source="test",
            ),
        )
        isis = Actor.objects.get(slug="islamic-state")
        self.events = []
        for n, status in enumerate(["extracted", "extracted", "in_review"]):
            event = Event.objects.create(
                title=f"ISIS attack near al-Mayadin {n}",
                event_type="battles",
                sub_event_type="armed_clash",
                date_start=date(2020, 5, 1 + n),
                date_end=date(2020, 5, 1 + n),
                place=self.mayadin,
                confidence=0.9 - n / 10,
                status=status,
            )
            EventActor.objects.create(event=event, actor=isis, role="actor1")
            self.events.append(event)
        Event.objects.create(  # published: not waiting
            title="Old news",
            event_type="battles",
            sub_event_type="armed_clash",
            date_start=date(2019, 1, 1),
            date_end=date(2019, 1, 1),
            place=self.mayadin,
            status="published",
        )

    def watch_dialogs(self, page) -> list[str]:
        """Any alert() a hostile string managed to run."""
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        return dialogs

    def message(self, page) -> str:
        page.wait_for_load_state("load")
        return page.locator(".messagelist").inner_text()

    def test_the_home_shows_the_queue_and_rejecting_asks_for_a_reason_and_shows_it(self):
        page = self.open_admin_page(self.reviewer, "/admin/")
        dialogs = self.watch_dialogs(page)
        home = page.locator(".atlas-home-queue")
        self.assertIn("3 events waiting for review", home.inner_text())
        self.assertIn("(2 extracted, 1 in review)", home.inner_text())
        self.assertEqual(home.locator(".atlas-home-first li").count(), 3)
        home.get_by_role("link", name="3 events waiting for review").click()
        page.wait_for_load_state("load")
        self.assertIn("/admin/events/event/review/", page.url)

        # Reject with no reason: the browser asks for one, nothing is sent.
        event = self.events[2]
        item = page.locator(f"#event-{event.pk}")
        reason = item.get_by_label("Why it is rejected")
        item.get_by_role("button", name="Reject").click()
        self.assertTrue(reason.evaluate("input => input.validity.valueMissing"))
        event.refresh_from_db()
        self.assertEqual(event.status, "in_review")
        # With a reason (hostile markup): rejected, and the reason is shown as text.
        reason.fill(f"Feared, not reported. {HOSTILE}")
        item.get_by_role("button", name="Reject").click()
        self.assertIn(f"Why: Feared, not reported. {HOSTILE}", self.message(page))
        event.refresh_from_db()
        self.assertEqual(event.rejection_reason, f"Feared, not reported. {HOSTILE}")

        page.goto(self.live_server_url + "/admin/events/event/review/?status=rejected")
        shown = page.locator(f"#event-{event.pk} .atlas-rejected")
        self.assertIn("Rejected by rami on ", shown.inner_text())
        self.assertEqual(shown.locator(".atlas-why").inner_text(), event.rejection_reason)
        page.goto(self.live_server_url + "/admin/events/event/")
        self.assertIn(
            f"Why: Feared, not reported. {HOSTILE}", page.locator("#result_list").inner_text()
        )
        page.goto(self.live_server_url + f"/admin/events/event/{event.pk}/change/")
        self.assertIn("by rami on ", page.locator(".field-rejected_by").inner_text())
        self.assertEqual(page.locator("#id_rejection_reason").input_value(), event.rejection_reason)
        self.assertEqual(page.locator("img[src=x]").count(), 0)
        self.assertEqual(dialogs, [])

        # The home page now counts two waiting, one rejected.
        page.goto(self.live_server_url + "/admin/")
        self.assertIn("2 events waiting for review", page.locator(".atlas-home-queue").inner_text())
        self.assertIn("1 rejected event", page.locator(".atlas-home-queue").inner_text())
        self.assertEqual(self.console_errors, [])

    def test_add_as_alias_refuses_the_and_daesh_on_al_mayadin(self):
        page = self.open_admin_page(self.reviewer, "/admin/events/event/review/")
        dialogs = self.watch_dialogs(page)

        def add_alias(spelling: str) -> str:
            form = page.locator(f"#event-{self.events[0].pk} .atlas-alias")
            form.get_by_label("Spelling").fill(spelling)
            form.locator("select").select_option(f"place:{self.mayadin.pk}")
            form.get_by_role("button", name="Add alias").click()
            return self.message(page)

        self.assertIn("“the” is a common word, not a name", add_alias("the"))
        self.assertIn("“Daesh” is a name of the actor Islamic State (ISIS).", add_alias("Daesh"))
        self.mayadin.refresh_from_db()
        self.assertFalse({"the", "Daesh"} & set(self.mayadin.aliases))
        # A hostile spelling is no common word and names nothing else: kept, shown as text.
        self.assertIn(f"“{HOSTILE}” is now an alias of Al-Mayadin", add_alias(HOSTILE))
        self.assertEqual(page.locator("img[src=x]").count(), 0)
        self.assertEqual(dialogs, [])
        # At phone width the reject form still fits.
        page.set_viewport_size({"width": 390, "height": 800})
        box = page.locator(f"#event-{self.events[0].pk}").get_by_label("Why it is rejected")
        self.assertLessEqual(box.bounding_box()["x"] + box.bounding_box()["width"], 390)
        self.assertEqual(self.console_errors, [])
