"""The public only ever sees reviewed content, and reviewed content stays public while a
change waits: every way an editor can change what the public sees becomes a proposal that a
reviewer accepts or declines."""

from __future__ import annotations

from django.urls import reverse
from reversion.models import Version

from events.models import Actor, EventActor, Evidence, Place, Proposal
from tests.test_curation import CurationCase

TEXT = "On Monday ISIS fighters attacked an SDF post in Hajin, killing two. Later news came."
QUOTE = "On Monday ISIS fighters attacked an SDF post in Hajin, killing two."


class ProposalCase(CurationCase):
    def setUp(self):
        super().setUp()
        self.report = self.make_report(TEXT, title="Clashes in Hajin")
        self.event = self.make_event(
            place=self.hajin, actors={"actor1": self.isis, "actor2": self.sdf}
        )
        self.make_evidence(self.event, self.report, QUOTE)

    def public_detail(self) -> dict:
        return self.client.get(f"/api/events/{self.event.pk}").json()

    def public_list(self) -> bytes:
        return self.client.get("/api/events", {"format": "csv"}).getvalue()

    def assert_public_unchanged(self, detail: dict, listing: bytes) -> None:
        self.assertEqual(self.public_detail(), detail)
        self.assertEqual(self.public_list(), listing)

    def queue(self, user) -> str:
        self.client.force_login(user)
        return self.client.get(reverse("admin:events_event_review")).content.decode()

    def accept(self, proposal: Proposal):
        self.client.force_login(self.reviewer)
        url = reverse("admin:events_event_proposal_action", args=[proposal.pk, "accept"])
        return self.client.post(url)

    def decline(self, proposal: Proposal, reason: str):
        self.client.force_login(self.reviewer)
        url = reverse("admin:events_event_proposal_action", args=[proposal.pk, "decline"])
        return self.client.post(url, {"reason": reason})


class EditorChangesWaitTests(ProposalCase):
    def test_a_typo_fix_keeps_the_event_public_and_waits_for_a_reviewer(self):
        detail, listing = self.public_detail(), self.public_list()
        response = self.save_form(self.event, title="Clashes in Hajin (corrected)")
        self.assertEqual(response.status_code, 302)
        self.event.refresh_from_db()
        self.assertEqual((self.event.title, self.event.status), ("Clashes in Hajin", "published"))
        self.assert_public_unchanged(detail, listing)  # the shared link still answers
        proposal = Proposal.objects.get()
        self.assertEqual(proposal.changes["fields"], {"title": "Clashes in Hajin (corrected)"})
        page = self.queue(self.reviewer)
        self.assertIn("Clashes in Hajin (corrected)", page)  # the diff, for the reviewer
        self.assertEqual(self.accept(proposal).status_code, 302)
        self.event.refresh_from_db()
        self.assertEqual(
            (self.event.title, self.event.status), ("Clashes in Hajin (corrected)", "published")
        )
        self.assertEqual(self.public_detail()["title"], "Clashes in Hajin (corrected)")
        version = Version.objects.get_for_object(self.event).first()
        self.assertEqual(version.revision.user, self.reviewer)
        self.assertIn("edith proposed", version.revision.get_comment())

    def test_changing_only_an_actor_role_waits(self):
        detail, listing = self.public_detail(), self.public_list()
        data = self.change_form_data(self.change_url(self.event))
        row = next(k for k, v in data.items() if k.endswith("-actor") and v == self.sdf.pk)
        data[row] = Actor.objects.get(slug="syrian-army").pk
        self.assertEqual(self.client.post(self.change_url(self.event), data).status_code, 302)
        self.assert_public_unchanged(detail, listing)
        proposal = Proposal.objects.get()
        self.assertIn("the actors", proposal.summary)
        self.accept(proposal)
        self.assertEqual(
            sorted(self.event.event_actors.values_list("actor__slug", "role")),
            [("islamic-state", "actor1"), ("syrian-army", "actor2")],
        )

    def test_evidence_attached_from_a_new_report_waits(self):
        detail, listing = self.public_detail(), self.public_list()
        new = self.make_report("Edith's own report: the SDF denied losses in Hajin.")
        data = self.change_form_data(self.change_url(self.event))
        prefix = "evidence"
        total = int(data[f"{prefix}-TOTAL_FORMS"])
        quote = "the SDF denied losses in Hajin."
        start = new.text.index(quote)
        data |= {
            f"{prefix}-TOTAL_FORMS": total + 1,
            f"{prefix}-{total}-report": new.pk,
            f"{prefix}-{total}-quote": quote,
            f"{prefix}-{total}-start": start,
            f"{prefix}-{total}-end": start + len(quote),
            f"{prefix}-{total}-rules": "[]",
        }
        self.assertEqual(self.client.post(self.change_url(self.event), data).status_code, 302)
        self.assert_public_unchanged(detail, listing)
        self.assertFalse(Evidence.objects.filter(report=new).exists())
        self.accept(Proposal.objects.get())
        self.assertEqual(len(self.public_detail()["sources"]), 2)

    def test_retitling_a_cited_report_waits(self):
        detail = self.public_detail()
        response = self.save_form(self.report, title="<b>Retitled</b> by an editor")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.public_detail(), detail)
        self.report.refresh_from_db()
        self.assertEqual(self.report.title, "Clashes in Hajin")
        self.accept(Proposal.objects.get())
        self.assertEqual(
            self.public_detail()["sources"][0]["title"], "<b>Retitled</b> by an editor"
        )

    def test_renaming_a_cited_outlet_or_a_public_actor_or_place_waits(self):
        for obj, field, value in (
            (self.report.source, "name", "Renamed outlet"),
            (self.isis, "name", "Renamed ISIS"),
            (self.hajin, "name", "Renamed Hajin"),
        ):
            with self.subTest(model=type(obj).__name__):
                self.assertEqual(self.save_form(obj, **{field: value}).status_code, 302)
                obj.refresh_from_db()
                self.assertNotEqual(getattr(obj, field), value)
        self.assertEqual(Proposal.objects.filter(status="pending").count(), 3)

    def test_what_the_public_does_not_see_changes_at_once(self):
        candidate = self.make_event(status="extracted", place=self.hajin, title="Candidate")
        self.assertEqual(self.save_form(candidate, title="Candidate, corrected").status_code, 302)
        candidate.refresh_from_db()
        self.assertEqual(candidate.title, "Candidate, corrected")
        # A place's spellings are matching vocabulary, never shown: they apply at once.
        self.save_form(self.hajin, aliases="Hajeen\nHajin town")
        self.hajin.refresh_from_db()
        self.assertIn("Hajeen", self.hajin.aliases)
        self.assertFalse(Proposal.objects.exists())

    def test_merging_an_unreviewed_event_into_a_published_one_waits(self):
        other = self.make_report("Extraction found this: ISIS attacked the SDF in Hajin.")
        candidate = self.make_event(status="extracted", place=self.hajin)
        self.make_evidence(candidate, other, "ISIS attacked the SDF in Hajin.")
        detail = self.public_detail()
        url = reverse("admin:events_event_merge", args=[candidate.pk, self.event.pk])
        self.assertEqual(self.client.post(url).status_code, 302)
        candidate.refresh_from_db()
        self.assertEqual(candidate.status, "extracted")
        self.assertEqual(self.public_detail(), detail)
        self.accept(Proposal.objects.get())
        candidate.refresh_from_db()
        self.assertEqual((candidate.status, candidate.merged_into_id), ("merged", self.event.pk))
        self.assertEqual(len(self.public_detail()["sources"]), 2)

    def test_an_alias_of_a_public_actor_from_the_queue_waits(self):
        candidate = self.make_event(
            status="extracted", place=self.hajin, actors={"actor1": self.isis}
        )
        url = reverse("admin:events_event_review_action", args=[candidate.pk, "alias"])
        self.client.post(url, {"spelling": "Daesh fighters", "target": f"actor:{self.isis.pk}"})
        self.isis.refresh_from_db()
        self.assertNotIn("Daesh fighters", self.isis.aliases)
        self.assertNotIn("Daesh fighters", self.client.get("/api/actors").content.decode())
        self.accept(Proposal.objects.get())
        self.isis.refresh_from_db()
        self.assertIn("Daesh fighters", self.isis.aliases)

    def test_an_editors_revert_of_a_published_event_waits(self):
        self.client.force_login(self.reviewer)
        self.save_form(self.event, title="Second title")
        self.client.force_login(self.editor)
        first = Version.objects.get_for_object(self.event).order_by("pk").first()
        url = reverse("admin:events_event_revert", args=[self.event.pk, first.pk])
        self.assertEqual(self.client.post(url).status_code, 302)
        self.event.refresh_from_db()
        self.assertEqual(self.event.title, "Second title")
        self.accept(Proposal.objects.get())
        self.event.refresh_from_db()
        self.assertEqual(self.event.title, "Clashes in Hajin")

    def test_a_reviewers_own_change_applies_at_once(self):
        self.client.force_login(self.reviewer)
        self.assertEqual(self.save_form(self.event, title="By a reviewer").status_code, 302)
        self.assertEqual(self.public_detail()["title"], "By a reviewer")
        self.assertFalse(Proposal.objects.exists())


class DecisionTests(ProposalCase):
    def test_a_declined_change_is_not_applied_and_the_editor_reads_why(self):
        self.save_form(self.event, title="Wrong title")
        proposal = Proposal.objects.get()
        self.assertEqual(self.decline(proposal, "").status_code, 302)
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, "pending")  # a reason is required
        self.decline(proposal, "The report says Hajin, not Hajin's outskirts.")
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, "declined")
        self.event.refresh_from_db()
        self.assertEqual(self.event.title, "Clashes in Hajin")
        page = self.queue(self.editor)
        self.assertIn("The report says Hajin, not Hajin&#x27;s outskirts.", page)
        self.client.force_login(self.editor)
        response = self.client.get(self.change_url(self.event))
        self.assertContains(response, "Declined by rami")

    def test_only_reviewers_decide(self):
        self.save_form(self.event, title="Wrong title")
        proposal = Proposal.objects.get()
        self.client.force_login(self.editor)
        url = reverse("admin:events_event_proposal_action", args=[proposal.pk, "accept"])
        self.client.post(url)
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, "pending")
        self.assertNotIn("atlas-accept", self.queue(self.editor).split("Events waiting")[0])

    def test_a_proposal_cannot_be_decided_twice(self):
        self.save_form(self.event, title="Once")
        proposal = Proposal.objects.get()
        self.accept(proposal)
        self.decline(proposal, "too late")
        proposal.refresh_from_db()
        self.assertEqual(proposal.status, "accepted")
        self.assertEqual(EventActor.objects.filter(event=self.event).count(), 2)
        self.assertTrue(Place.objects.filter(pk=self.hajin.pk).exists())
