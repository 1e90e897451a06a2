"""The editors' side (issue 14, point 9): the admin home leads with the review queue and its
count; every rejection records a reason the editors read; aliases refuse common words,
numbers and the names of other actors and places, with a message naming the conflict."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.urls import reverse
from reversion.models import Version

from events.curation import workflow
from events.curation.home import home_summary
from events.models import Event, ImportJob, Place, Proposal, validate_names
from tests.test_curation import CurationCase

HOSTILE = "<img src=x onerror=alert(1)>"


class AliasRuleTests(CurationCase):
    def setUp(self):
        super().setUp()
        self.mayadin = Place.objects.get(slug="al-mayadin")

    def aliases_error(self, obj, *added: str) -> list[str]:
        """Post the change form with `added` aliases; the errors on the aliases field."""
        data = self.change_form_data(self.change_url(obj))
        data["aliases"] = "\n".join([*obj.aliases, *added])
        response = self.client.post(self.change_url(obj), data)
        if response.status_code == 302:
            return []
        return response.context["adminform"].form.errors.get("aliases", [])

    def test_it_refuses_common_words_and_names_without_letters(self):
        for bad in ["the", "al", "Al-", "of", "and", "in", "near", "village", "near the village",
                    "Eastern countryside", "القرية", "1234", "12-3", "—", "x"]:  # fmt: skip
            with self.subTest(bad), self.assertRaises(ValidationError) as caught:
                validate_names(["Mayadeen", bad])
            self.assertIn(f"“{bad}”", caught.exception.messages[0])
        # Names that contain a real name, short abbreviations and two articles pass.
        validate_names(["the Islamic State", "al-Mayadin", "T4", "IS", "Al ʿAl", HOSTILE])

    def test_a_place_form_refuses_the_and_daesh_naming_the_conflict(self):
        self.client.force_login(self.reviewer)
        errors = self.aliases_error(self.mayadin, "the", "Daesh")
        self.assertEqual(len(errors), 2, errors)
        self.assertIn("“the” is a common word", errors[0])
        self.assertEqual(errors[1], "“Daesh” is a name of the actor Islamic State (ISIS).")
        self.mayadin.refresh_from_db()
        self.assertNotIn("Daesh", self.mayadin.aliases)

    def test_a_place_alias_may_not_name_a_place_nearby_a_town_of_its_governorate_or_a_unit(self):
        self.client.force_login(self.reviewer)
        cases = {
            "Quriyah": "“Quriyah” is a name of the village Quriyeh (Deir ez-Zor), 12 km away.",
            "Hajin": "“Hajin” is a name of the town Hajin (Deir ez-Zor), in the same governorate.",
            "Hama": "“Hama” is a name of the district Hama.",
            "Dayr az Zawr": "“Dayr az Zawr” is a name of the town Deir ez-Zor (Deir ez-Zor), in "
            "the same governorate.",
        }
        for alias, message in cases.items():
            with self.subTest(alias):
                self.assertEqual(self.aliases_error(self.mayadin, alias), [message])

    def test_its_own_spellings_and_far_namesakes_are_fine(self):
        """Villages share names: one far away (even in the same governorate) is no conflict;
        a spelling of the place's own name never is."""
        self.client.force_login(self.reviewer)
        far = self.make_place(name="Khirbet Zuhur", latitude=36.2, longitude=37.1)  # Aleppo
        village = self.make_place(name="Kherbet Zuhour", latitude=34.9, longitude=40.6)
        self.assertEqual(self.aliases_error(village, far.name, "Khirbat az Zuhur"), [])
        self.assertEqual(self.aliases_error(self.mayadin, "Al-Mayadeen town", "Mayyadin"), [])
        self.mayadin.refresh_from_db()
        self.assertIn("Mayyadin", self.mayadin.aliases)

    def test_an_actor_alias_may_not_name_another_actor_a_unit_or_a_town(self):
        self.client.force_login(self.reviewer)
        self.assertEqual(
            self.aliases_error(self.sdf, "Da'esh"),
            ["“Da'esh” is a name of the actor Islamic State (ISIS)."],
        )
        self.assertEqual(
            self.aliases_error(self.sdf, "Deir Ezzor"),
            ["“Deir Ezzor” is a name of the town Deir ez-Zor (Deir ez-Zor)."],
        )
        # A tribe and a village may share a name: villages are not refused.
        self.assertEqual(self.aliases_error(self.sdf, "Quriyeh"), [])

    def test_add_as_alias_in_the_review_queue_refuses_with_the_message(self):
        event = self.make_event(status="extracted", place=self.mayadin)
        url = reverse("admin:events_event_review_action", args=[event.pk, "alias"])
        target = f"place:{self.mayadin.pk}"
        for spelling, message in [
            ("the", "“the” is a common word, not a name"),
            ("Daesh", "“Daesh” is a name of the actor Islamic State (ISIS)."),
            ("55", "“55” has no letters"),
        ]:
            with self.subTest(spelling):
                response = self.client.post(
                    url, {"spelling": spelling, "target": target}, follow=True
                )
                self.assertContains(response, message)
        self.mayadin.refresh_from_db()
        self.assertFalse({"the", "Daesh", "55"} & set(self.mayadin.aliases))

    def test_a_proposed_alias_is_checked_when_made_and_when_accepted(self):
        candidate = self.make_event(
            status="extracted", place=self.hajin, actors={"actor1": self.sdf}
        )
        self.make_event(place=self.hajin, actors={"actor1": self.sdf})  # the SDF are public
        url = reverse("admin:events_event_review_action", args=[candidate.pk, "alias"])
        self.client.post(url, {"spelling": "Daesh", "target": f"actor:{self.sdf.pk}"})
        self.assertFalse(Proposal.objects.exists())  # refused, not proposed
        self.client.post(url, {"spelling": "Qasad fighters", "target": f"actor:{self.sdf.pk}"})
        proposal = Proposal.objects.get()
        # Meanwhile another actor takes the name: accepting the proposal is refused.
        self.isis.aliases = [*self.isis.aliases, "Qasad fighters"]
        self.isis.save()
        self.client.force_login(self.reviewer)
        accept = reverse("admin:events_event_proposal_action", args=[proposal.pk, "accept"])
        response = self.client.post(accept, follow=True)
        self.assertContains(response, "is a name of the actor Islamic State (ISIS)")
        self.sdf.refresh_from_db()
        self.assertNotIn("Qasad fighters", self.sdf.aliases)
        self.assertEqual(Proposal.objects.get().status, Proposal.Status.PENDING)


class RejectionTests(CurationCase):
    def setUp(self):
        super().setUp()
        self.event = self.make_event(status="in_review", place=self.hajin, title="Shelling")
        self.client.force_login(self.reviewer)

    def reject_in_queue(self, reason: str):
        url = reverse("admin:events_event_review_action", args=[self.event.pk, "reject"])
        return self.client.post(url, {"reason": reason}, follow=True)

    def test_a_rejection_without_a_reason_is_refused_everywhere(self):
        with self.assertRaises(ValidationError):
            workflow.event_status_set([self.event], "rejected", self.reviewer, reason="  ")
        self.assertContains(self.reject_in_queue(" \n "), workflow.REASON_REQUIRED)
        changelist = reverse("admin:events_event_changelist")
        action = {"action": "reject", "_selected_action": [self.event.pk], "apply": "Reject"}
        self.assertContains(self.client.post(changelist, action | {"reason": ""}), "Say why")
        response = self.save_form(self.event, status="rejected", rejection_reason="")
        self.assertEqual(response.context["adminform"].form.errors["rejection_reason"],
                         [workflow.REASON_REQUIRED])  # fmt: skip
        self.event.refresh_from_db()
        self.assertEqual((self.event.status, self.event.rejection_reason), ("in_review", ""))

    def test_the_reason_is_kept_recorded_and_shown_as_text(self):
        reason = f"Not an event: a feared attack. {HOSTILE}"
        self.assertContains(self.reject_in_queue(reason), "Rejected: ")
        self.event.refresh_from_db()
        self.assertEqual((self.event.status, self.event.rejection_reason), ("rejected", reason))
        version = Version.objects.get_for_object(self.event).first()
        self.assertEqual(version.revision.user, self.reviewer)
        self.assertIn(f"Why: {reason}", version.revision.get_comment())
        self.assertEqual(version.field_dict["rejection_reason"], reason)
        escaped = "&lt;img src=x onerror=alert(1)&gt;"
        # The event's page (who and when, from the history), the list and the queue.
        self.client.force_login(self.editor)
        page = self.client.get(self.change_url(self.event))
        self.assertContains(page, "by rami on ")
        self.assertContains(page, escaped)
        self.assertNotContains(page, HOSTILE)
        self.assertNotContains(page, 'name="rejection_reason"')  # editors read, not edit
        listing = self.client.get(reverse("admin:events_event_changelist"))
        self.assertContains(listing, f"Why: Not an event: a feared attack. {escaped}")
        queue = self.client.get(reverse("admin:events_event_review"), {"status": "rejected"})
        self.assertContains(queue, "Rejected by rami on ")
        self.assertContains(queue, escaped)
        self.assertNotContains(queue, HOSTILE)
        # The API never gives it, whatever it answers for an unpublished event.
        api = self.client.get(f"/api/events/{self.event.pk}")
        self.assertNotIn("feared attack", api.content.decode())
        self.assertNotIn("rejection", api.content.decode())

    def test_a_bulk_reject_gives_one_reason_to_all(self):
        other = self.make_event(status="extracted", place=self.hajin)
        changelist = reverse("admin:events_event_changelist")
        action = {"action": "reject", "_selected_action": [self.event.pk, other.pk]}
        self.client.post(changelist, action | {"apply": "Reject", "reason": " Duplicates. "})
        reasons = set(Event.objects.values_list("status", "rejection_reason"))
        self.assertEqual(reasons, {("rejected", "Duplicates.")})

    def test_the_change_form_takes_a_reason_and_reopening_clears_it(self):
        self.save_form(self.event, status="rejected", rejection_reason="Outside Syria.")
        self.event.refresh_from_db()
        self.assertEqual(self.event.rejection_reason, "Outside Syria.")
        comment = Version.objects.get_for_object(self.event).first().revision.get_comment()
        self.assertIn("Why rejected: Outside Syria.", comment)
        # Reopened from the queue: the reason is cleared, and the history quotes it.
        url = reverse("admin:events_event_review_action", args=[self.event.pk, "reopen"])
        self.client.post(url)
        self.event.refresh_from_db()
        self.assertEqual((self.event.status, self.event.rejection_reason), ("in_review", ""))
        comment = Version.objects.get_for_object(self.event).first().revision.get_comment()
        self.assertIn("rejected because: Outside Syria.", comment)
        self.client.force_login(self.editor)  # an editor's page has no rejection rows now
        self.assertNotContains(self.client.get(self.change_url(self.event)), "field-rejected_by")
        self.client.force_login(self.reviewer)
        # A reason on an event that is not rejected is pointed out, not kept.
        response = self.save_form(self.event, rejection_reason="Stray words")
        self.assertIn("Only a rejected event", str(response.context["adminform"].form.errors))

    def test_an_editor_cannot_reject_and_an_upload_cannot_reject_wholesale(self):
        self.client.force_login(self.editor)
        response = self.reject_in_queue("I think not")
        self.assertEqual(response.status_code, 403)
        add = self.client.get(reverse("admin:events_importjob_add"))
        self.assertNotContains(add, 'value="rejected"')


class HomeTests(CurationCase):
    def setUp(self):
        super().setUp()
        for confidence in (0.9, 0.5, 0.2):
            self.make_event(status="extracted", place=self.hajin, confidence=confidence)
        self.make_event(status="in_review", place=self.hajin, title="Top one", confidence=0.95)
        self.make_event(status="rejected", place=self.hajin, rejection_reason="No.")
        self.make_event(place=self.hajin)  # published: not waiting
        ImportJob.objects.create(kind="acled", file="x.csv", state=ImportJob.State.RUNNING)

    def test_the_home_page_shows_the_queue_with_its_count_and_first_events(self):
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, 'data-count="4">4</strong> events waiting for review')
        self.assertContains(response, "(3 extracted, 1 in review)")
        self.assertContains(response, "1 rejected event</a>")
        self.assertContains(response, "0 queued, 1 running, 0 failed")
        self.assertContains(response, "0 proposed changes</a>")
        first = response.context["atlas_queue"]["first"]
        self.assertEqual([e.title for e in first][:1], ["Top one"])
        self.assertContains(response, reverse("admin:events_event_review"))

    def test_its_counts_cost_two_queries(self):
        self.editor.has_perm("events.view_event")  # the permissions, once per request
        with self.assertNumQueries(2):
            summary = home_summary(self.editor)
            list(summary["first"])
        self.assertEqual((summary["waiting"], summary["jobs"]["running"]), (4, 1))

    def test_a_user_who_may_not_see_events_sees_no_queue(self):
        clerk = User.objects.create_user("clerk", password="pw-123-secret", is_staff=True)
        self.client.force_login(clerk)
        response = self.client.get(reverse("admin:index"))
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "waiting for review")
        self.assertIsNone(home_summary(clerk))
