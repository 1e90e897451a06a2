"""The editors' workflow: permissions, history with revert, concurrent edits, duplicates,
merging and its undo, and the review queue."""

from datetime import date

from django.urls import reverse
from reversion.models import Version

from events.curation.duplicates import duplicates_find
from events.curation.workflow import event_merge
from events.models import Event, EventActor
from tests.base import AtlasTestCase


class CurationCase(AtlasTestCase):
    fixtures = ["actors"]  # the gazetteer is loaded once for the session (conftest)

    def setUp(self):
        self.client.force_login(self.editor)
        self.isis = self.actor("islamic-state")
        self.sdf = self.actor("sdf")
        self.hajin = self.place("hajin")

    @staticmethod
    def actor(slug):
        from events.models import Actor

        return Actor.objects.get(slug=slug)

    @staticmethod
    def place(slug):
        from events.models import Place

        return Place.objects.get(slug=slug)

    def change_url(self, obj) -> str:
        return reverse(f"admin:events_{obj._meta.model_name}_change", args=[obj.pk])

    def save_form(self, obj, **changes):
        data = self.change_form_data(self.change_url(obj)) | changes
        return self.client.post(self.change_url(obj), data)


class WorkflowTests(CurationCase):
    def test_an_editor_cannot_post_a_published_status(self):
        event = self.make_event(status=Event.Status.EXTRACTED, place=self.hajin)
        response = self.save_form(event, status="published")
        self.assertEqual(response.status_code, 200)
        event.refresh_from_db()
        self.assertEqual(event.status, "extracted")

    def test_a_reviewer_corrects_a_published_event_and_it_stays_published(self):
        self.client.force_login(self.reviewer)
        event = self.make_event(place=self.hajin)
        self.assertEqual(self.save_form(event, title="Clashes at Hajin").status_code, 302)
        event.refresh_from_db()
        self.assertEqual(event.status, "published")

    def test_bulk_reject_is_for_reviewers(self):
        events = [self.make_event(status="in_review", place=self.hajin) for _ in range(3)]
        action = {"action": "reject", "_selected_action": [e.pk for e in events]}
        changelist = reverse("admin:events_event_changelist")
        self.client.post(changelist, action)
        self.assertEqual(Event.objects.filter(status="rejected").count(), 0)
        self.client.force_login(self.reviewer)
        asked = self.client.post(changelist, action)  # the reviewer is asked why first
        self.assertContains(asked, "Why are they rejected?")
        self.assertEqual(Event.objects.filter(status="rejected").count(), 0)
        self.client.post(changelist, action | {"apply": "Reject", "reason": "Not in Syria."})
        self.assertEqual(Event.objects.filter(status="rejected").count(), 3)
        # Each event's move is its own recorded revision, by the reviewer.
        versions = Version.objects.get_for_object(events[0]).order_by("-pk")
        self.assertEqual(versions[0].revision.user, self.reviewer)
        self.assertIn("rejected. Why: Not in Syria.", versions[0].revision.get_comment())


class HistoryTests(CurationCase):
    def test_every_admin_save_is_recorded_with_who_and_what(self):
        event = self.make_event(place=self.hajin, actors={"actor1": self.isis})
        self.client.force_login(self.reviewer)
        self.save_form(event, title="ISIS attack in Hajin", fatalities_best="4")
        versions = Version.objects.get_for_object(event).order_by("pk")
        self.assertEqual(len(versions), 2)  # the state before, then the change
        self.assertEqual(versions[1].revision.user, self.reviewer)
        self.assertEqual(versions[1].field_dict["title"], "ISIS attack in Hajin")

        history = self.client.get(reverse("admin:events_event_history", args=[event.pk]))
        self.assertContains(history, "<del>Clashes in Hajin</del>", html=True)
        self.assertContains(history, "<ins>ISIS attack in Hajin</ins>", html=True)
        self.assertContains(history, "Fatalities best")
        self.assertContains(history, "rami")

    def test_revert_restores_fields_and_actor_roles(self):
        event = self.make_event(place=self.hajin, actors={"actor1": self.isis})
        self.client.force_login(self.reviewer)
        data = self.change_form_data(self.change_url(event))
        data["title"] = "Wrong title"
        data["event_actors-0-actor"] = str(self.sdf.pk)  # the editor's mistake
        self.assertEqual(self.client.post(self.change_url(event), data).status_code, 302)
        event.refresh_from_db()
        self.assertEqual([ea.actor.slug for ea in event.event_actors.all()], ["sdf"])

        first = Version.objects.get_for_object(event).order_by("pk").first()
        url = reverse("admin:events_event_revert", args=[event.pk, first.pk])
        preview = self.client.get(url)
        self.assertContains(preview, "Wrong title")
        self.assertContains(preview, "Islamic State (ISIS)")
        self.assertEqual(self.client.post(url).status_code, 302)
        event.refresh_from_db()
        self.assertEqual(event.title, "Clashes in Hajin")
        self.assertEqual([ea.actor.slug for ea in event.event_actors.all()], ["islamic-state"])
        latest = Version.objects.get_for_object(event).first()
        self.assertIn("Reverted to the version of", latest.revision.get_comment())

    def test_reverting_one_event_leaves_the_others_of_a_bulk_action_alone(self):
        self.client.force_login(self.reviewer)
        a, b = (self.make_event(status="in_review", place=self.hajin) for _ in range(2))
        changelist = reverse("admin:events_event_changelist")
        self.client.post(changelist, {"action": "publish", "_selected_action": [a.pk, b.pk]})
        self.save_form(Event.objects.get(pk=b.pk), title="B, corrected later")
        before = Version.objects.get_for_object(a).order_by("pk").first()
        self.client.post(reverse("admin:events_event_revert", args=[a.pk, before.pk]))
        a.refresh_from_db()
        b.refresh_from_db()
        self.assertEqual(a.status, "in_review")
        self.assertEqual((b.status, b.title), ("published", "B, corrected later"))

    def test_places_and_actors_have_history_too(self):
        self.client.force_login(self.reviewer)
        data = self.change_form_data(self.change_url(self.hajin))
        data["aliases"] = "Hajeen\nHejin"
        self.assertEqual(self.client.post(self.change_url(self.hajin), data).status_code, 302)
        history = self.client.get(reverse("admin:events_place_history", args=[self.hajin.pk]))
        self.assertContains(history, "Hajeen, Hejin")
        data = self.change_form_data(self.change_url(self.sdf))
        data["family"] = "iran"
        self.assertEqual(self.client.post(self.change_url(self.sdf), data).status_code, 302)
        history = self.client.get(reverse("admin:events_actor_history", args=[self.sdf.pk]))
        self.assertContains(history, "Iran-aligned forces")


class ConcurrentEditTests(CurationCase):
    def test_the_second_save_gets_a_warning_not_an_overwrite(self):
        event = self.make_event(status="extracted", place=self.hajin)
        url = self.change_url(event)
        mine = self.change_form_data(url)  # the editor opens the form ...
        self.client.force_login(self.reviewer)  # ... a reviewer saves first
        self.assertEqual(self.save_form(event, title="The reviewer's title").status_code, 302)
        self.client.force_login(self.editor)
        response = self.client.post(url, mine | {"title": "The editor's title"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "rami saved this event at")
        self.assertContains(response, f'href="{url}"')  # the reload link
        event.refresh_from_db()
        self.assertEqual(event.title, "The reviewer's title")
        # Reloading and saving again works.
        self.assertEqual(self.save_form(event, title="The editor's title").status_code, 302)


class DuplicateTests(CurationCase):
    def test_nearby_same_type_shared_actor_overlapping_dates_is_a_likely_duplicate(self):
        event = self.make_event(place=self.hajin, actors={"actor1": self.isis})
        near = self.make_event(
            place=self.place("abu-al-hassan"),
            date_start=date(2018, 9, 9),
            date_end=date(2018, 9, 12),
            actors={"actor1": self.isis, "actor2": self.sdf},
        )
        far = self.make_event(place=self.place("palmyra"), actors={"actor1": self.isis})
        other_week = self.make_event(
            place=self.hajin, date_start=date(2018, 9, 20), date_end=date(2018, 9, 20)
        )
        found = duplicates_find(event)
        self.assertEqual([d.event for d in found], [near])
        reasons = " ".join(found[0].reasons)
        self.assertIn("km apart", reasons)
        self.assertIn("shared actors: Islamic State (ISIS)", reasons)
        self.assertNotIn(far, [d.event for d in found])
        self.assertNotIn(other_week, [d.event for d in found])

    def test_the_same_statement_in_another_report_is_a_likely_duplicate(self):
        sentence = "ISIS cells attacked an SDF checkpoint in Hajin, killing two fighters."
        one = self.make_report(f"Deir ez-Zor. {sentence} More later.")
        two = self.make_report(f"Syria news. {sentence.replace('two', '2')} End.")
        a = self.make_event(place=self.hajin, event_type="battles")
        b = self.make_event(
            place=None,
            status="extracted",
            event_type="violence_against_civilians",
            sub_event_type="attack",
        )
        self.make_evidence(a, one, sentence)
        self.make_evidence(b, two, sentence.replace("two", "2"))
        found = duplicates_find(a)
        self.assertEqual([d.event for d in found], [b])
        self.assertIn("the same statement in", found[0].reasons[0])


class MergeTests(CurationCase):
    def test_merge_keeps_every_source_and_can_be_undone(self):
        self.client.force_login(self.reviewer)  # into a published event: a reviewer's merge
        report_a = self.make_report("ISIS attacked Hajin on Monday, local sources said.")
        report_b = self.make_report("Clashes in Hajin between ISIS and the SDF on Monday.")
        survivor = self.make_event(place=self.hajin, actors={"actor1": self.isis})
        duplicate = self.make_event(status="in_review", place=self.hajin)
        self.make_evidence(survivor, report_a, "ISIS attacked Hajin on Monday")
        self.make_evidence(duplicate, report_b, "Clashes in Hajin between ISIS and the SDF")

        url = reverse("admin:events_event_merge", args=[duplicate.pk, survivor.pk])
        self.assertContains(self.client.get(url), f"Merge #{duplicate.pk} into #{survivor.pk}")
        self.assertEqual(self.client.post(url).status_code, 302)
        duplicate.refresh_from_db()
        self.assertEqual((duplicate.status, duplicate.merged_into), ("merged", survivor))
        self.assertEqual(duplicate.evidence.count(), 1)  # nothing lost

        detail = self.client.get(reverse("api-event", args=[survivor.pk])).json()
        self.assertEqual(len(detail["sources"]), 2)
        self.assertEqual(
            self.client.get(reverse("api-event", args=[duplicate.pk])).status_code, 404
        )
        page = self.client.get(self.change_url(survivor))
        self.assertContains(page, "Merged into this one")

        history = self.client.get(reverse("admin:events_event_history", args=[duplicate.pk]))
        self.assertContains(history, f"Merged into #{survivor.pk}")
        undo = reverse("admin:events_event_unmerge", args=[duplicate.pk])
        self.assertContains(self.client.get(undo), "in review as it was before the merge")
        self.client.post(undo)
        duplicate.refresh_from_db()
        self.assertEqual((duplicate.status, duplicate.merged_into), ("in_review", None))

    def test_merging_into_a_merged_event_goes_to_its_survivor(self):
        a, b, c = (self.make_event(status="in_review", place=self.hajin) for _ in range(3))
        event_merge(b, c, self.editor)
        event_merge(a, b, self.editor)
        a.refresh_from_db()
        self.assertEqual(a.merged_into, c)
        self.assertEqual(sorted(c.merged_family()), sorted([a.pk, b.pk, c.pk]))

    def test_the_merge_action_asks_which_event_survives(self):
        events = [self.make_event(status="in_review", place=self.hajin) for _ in range(3)]
        changelist = reverse("admin:events_event_changelist")
        action = {"action": "merge_selected", "_selected_action": [e.pk for e in events]}
        self.assertContains(self.client.post(changelist, action), "Keep this one")
        self.client.post(changelist, action | {"apply": "Merge", "survivor": events[1].pk})
        statuses = {e.pk: e.status for e in Event.objects.filter(pk__in=[e.pk for e in events])}
        self.assertEqual(
            statuses, {events[0].pk: "merged", events[1].pk: "in_review", events[2].pk: "merged"}
        )

    def test_an_editor_cannot_merge_away_a_published_event(self):
        published = self.make_event(place=self.hajin)
        other = self.make_event(status="in_review", place=self.hajin)
        url = reverse("admin:events_event_merge", args=[published.pk, other.pk])
        self.assertEqual(self.client.post(url).status_code, 403)
        published.refresh_from_db()
        self.assertEqual(published.status, "published")


class ReviewQueueTests(CurationCase):
    def setUp(self):
        super().setUp()
        self.report = self.make_report(
            "Hajin, 10 September.\n"
            "Fighting went on all day. ISIS <script>alert(1)</script> fighters attacked an SDF "
            "post in Hajeen, killing two. The SDF answered with mortars.\n"
            "Another paragraph."
        )
        self.event = self.make_event(
            status="extracted", confidence=0.7, place=self.hajin, actors={"actor1": self.isis}
        )
        quote = (
            "ISIS <script>alert(1)</script> fighters attacked an SDF post in Hajeen, killing two."
        )
        self.make_evidence(self.event, self.report, quote)
        self.queue = reverse("admin:events_event_review")

    def action(self, name, **data):
        url = reverse("admin:events_event_review_action", args=[self.event.pk, name])
        return self.client.post(url, {"next": self.queue, **data})

    def test_the_queue_highlights_the_sentence_in_its_paragraph_as_text(self):
        response = self.client.get(self.queue)
        self.assertContains(response, "Fighting went on all day. ")
        self.assertContains(response, "<mark>ISIS &lt;script&gt;alert(1)&lt;/script&gt; fighters")
        self.assertContains(response, "The SDF answered with mortars.")
        self.assertNotContains(response, "Another paragraph.")
        self.assertNotContains(response, "<script>alert(1)")

    def test_it_orders_by_confidence_date_or_report(self):
        low = self.make_event(status="in_review", confidence=0.2, place=self.hajin, title="Low one")
        for order, first in (("-confidence", self.event), ("confidence", low)):
            items = self.client.get(self.queue, {"order": order}).context["items"]
            self.assertEqual(items[0]["event"], first)
        items = self.client.get(self.queue, {"report": self.report.pk}).context["items"]
        self.assertEqual([i["event"] for i in items], [self.event])
        # A confidence band narrows the queue; an unknown band is ignored.
        items = self.client.get(self.queue, {"confidence": "low"}).context["items"]
        self.assertEqual([i["event"] for i in items], [low])
        everyone = self.client.get(self.queue, {"confidence": "nonsense"}).context["items"]
        self.assertEqual(len(everyone), 2)

    def test_an_editor_accepts_into_review_and_cannot_reject(self):
        self.assertEqual(self.action("accept").status_code, 302)
        self.event.refresh_from_db()
        self.assertEqual(self.event.status, "in_review")
        self.assertEqual(self.action("reject").status_code, 403)
        self.event.refresh_from_db()
        self.assertEqual(self.event.status, "in_review")

    def test_a_reviewer_accepts_to_publish_and_rejects(self):
        self.client.force_login(self.reviewer)
        self.action("accept")
        self.event.refresh_from_db()
        self.assertEqual(self.event.status, "published")
        other = self.make_event(status="in_review", place=self.hajin)
        url = reverse("admin:events_event_review_action", args=[other.pk, "reject"])
        self.client.post(url, {"reason": "A duplicate of #1."})
        other.refresh_from_db()
        self.assertEqual((other.status, other.rejection_reason), ("rejected", "A duplicate of #1."))

    def test_a_spelling_becomes_an_alias_in_one_step(self):
        response = self.action("alias", spelling=" Hajeen ", target=f"place:{self.hajin.pk}")
        self.assertEqual(response.status_code, 302)
        self.hajin.refresh_from_db()
        self.assertIn("Hajeen", self.hajin.aliases)
        version = Version.objects.get_for_object(self.hajin).first()
        self.assertEqual(version.revision.user, self.editor)
        self.assertIn("Alias “Hajeen”", version.revision.get_comment())
        # Twice is refused with a message, and nothing changes.
        self.action("alias", spelling="hajeen", target=f"place:{self.hajin.pk}")
        self.hajin.refresh_from_db()
        self.assertEqual(self.hajin.aliases.count("Hajeen"), 1)

    def test_the_queue_shows_likely_duplicates_with_a_merge_link(self):
        twin = self.make_event(status="published", place=self.hajin, actors={"actor1": self.isis})
        response = self.client.get(self.queue)
        merge = reverse("admin:events_event_merge", args=[self.event.pk, twin.pk])
        self.assertContains(response, merge)
        self.assertEqual(
            EventActor.objects.filter(event=twin).count(), 1
        )  # showing duplicates changes nothing
