"""The shared test base: the users that matter and builders for reports and events."""

from __future__ import annotations

import itertools
from datetime import date
from importlib import import_module

from django.contrib.auth.models import Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.test import LiveServerTestCase, TestCase

from events.gazetteer.load import events_relink, gazetteer_load
from events.models import Actor, Event, EventActor, Evidence, Place, Report, Source

_serial = itertools.count(1)


class AtlasTestCase(TestCase):
    """An editor, a reviewer and a superuser; anonymous researchers need no account."""

    @classmethod
    def setUpTestData(cls) -> None:
        if "seed" in (cls.fixtures or []):
            events_relink()  # loaddata saves raw: the seed events get their units here
        cls.editor = cls.make_user("edith", "editor")
        cls.reviewer = cls.make_user("rami", "reviewer")
        cls.admin = User.objects.create_superuser("admin", "admin@example.org", "pw-admin-123")

    @staticmethod
    def make_user(username: str, group: str) -> User:
        user = User.objects.create_user(username, f"{username}@example.org", "pw-123-secret")
        user.is_staff = True
        user.save()
        user.groups.add(Group.objects.get(name=group))
        return user

    # Builders: the smallest valid object, with keyword overrides.

    @staticmethod
    def make_place(**fields) -> Place:
        n = next(_serial)
        defaults = dict(
            slug=f"place-{n}",
            name=f"Place {n}",
            kind=Place.Kind.VILLAGE,
            latitude=35.0,
            longitude=40.4,
            country="SY",
            admin1=Place.objects.filter(pcode="SY09").first(),  # Deir ez-Zor governorate
            source="test",
        )
        return Place.objects.create(**(defaults | fields))

    @staticmethod
    def make_actor(**fields) -> Actor:
        n = next(_serial)
        defaults = dict(name=f"Actor {n}", slug=f"actor-{n}", kind=Actor.Kind.STATE_FORCES)
        return Actor.objects.create(**(defaults | fields))

    @staticmethod
    def make_report(text: str = "", **fields) -> Report:
        n = next(_serial)
        source, _ = Source.objects.get_or_create(name="Test outlet")
        defaults = dict(
            source=source,
            title=f"Report {n}",
            published=date(2023, 12, 29),
            text=text or f"Report number {n}. Clashes were reported in Hajin.",
        )
        return Report.objects.create(**(defaults | fields))

    @classmethod
    def make_event(cls, *, actors: dict[str, Actor] | None = None, **fields) -> Event:
        defaults = dict(
            title="Clashes in Hajin",
            event_type="battles",
            sub_event_type="armed_clash",
            date_start=date(2018, 9, 10),
            date_end=date(2018, 9, 10),
            status=Event.Status.PUBLISHED,
        )
        if "place" not in fields:
            defaults["place"] = cls.make_place()
        event = Event.objects.create(**(defaults | fields))
        for role, actor in (actors or {}).items():
            EventActor.objects.create(event=event, actor=actor, role=role)
        return event

    @staticmethod
    def make_evidence(event: Event, report: Report, quote: str) -> Evidence:
        start = report.text.index(quote)
        return Evidence.objects.create(
            event=event, report=report, quote=quote, start=start, end=start + len(quote)
        )

    def change_form_data(self, url: str) -> dict:
        """What the admin's change form at `url` would post unchanged: the main form, each
        inline formset's management form and rows, as the page renders them."""
        context = self.client.get(url).context
        forms = [context["adminform"].form]
        data = {}
        for inline in context["inline_admin_formsets"]:
            formset = inline.formset
            forms += list(formset.forms)
            management = formset.management_form
            for name in management.fields:
                data[management.add_prefix(name)] = management[name].value()
        for form in forms:
            for name in form.fields:
                value = form[name].value()
                if isinstance(value, bool):
                    if value:
                        data[form.add_prefix(name)] = "on"
                    continue
                if isinstance(value, list):
                    value = "\n".join(str(v) for v in value)
                data[form.add_prefix(name)] = "" if value is None else value
        return data


def live_user(username: str, group: str) -> User:
    """A user in `group` for live-server tests, which empty every table after each test: the
    group the migration made is made again, with the migration's permissions."""
    migration = import_module("events.migrations.0002_editor_groups")
    codenames = {"editor": migration.EDITOR, "reviewer": migration.REVIEWER}[group]
    codenames = [*codenames, "view_proposal", "add_importjob", "view_importjob"]  # 0009, 0014
    made, _ = Group.objects.get_or_create(name=group)
    made.permissions.set(
        Permission.objects.filter(content_type__app_label="events", codename__in=codenames)
    )
    user = User.objects.create_user(username, f"{username}@example.org", "pw-123-secret")
    user.groups.add(made)
    return user


class GazetteerFixture:
    """For tests that empty the tables after each test (TransactionTestCase and the live
    servers): `fixtures = ["places", ...]` loads the built gazetteer in bulk first, where
    loaddata would take a minute. Content types are made again with new ids (PostgreSQL), so
    the cached ones are forgotten too."""

    @classmethod
    def _fixture_setup(cls) -> None:
        ContentType.objects.clear_cache()
        fixtures = list(cls.fixtures or [])
        if "places" in fixtures:
            gazetteer_load()
            cls.fixtures = [f for f in fixtures if f != "places"]
        try:
            super()._fixture_setup()
        finally:
            cls.fixtures = fixtures
        if "seed" in fixtures:
            events_relink()  # loaddata saves raw: the seed events get their units here


class LiveTestCase(GazetteerFixture, LiveServerTestCase):
    """A live server on the real database."""
