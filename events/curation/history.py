"""The history of events, actors and places: who changed what and when, and revert.

django-reversion stores the versions (one revision per change, registered in models.py). What
Atlas adds on top:

- `recorded()`: a change made outside the admin's forms (an action, a merge, an import) is a
  revision with its user and a comment saying what happened.
- `baseline()`: objects loaded from fixtures have no version yet; before their first recorded
  change, the state they had is saved, so "revert to the earlier version" always has one.
- `object_revert()`: restores one object and its own rows (an event's actor roles and
  evidence). Reversion's `Revision.revert` restores every object of a revision, which for a
  bulk action or an import would also undo other events' later edits.
- `history_rows()`: each version with a readable diff against the one before it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import reversion
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone
from reversion.models import Version

from events.models import Actor, Event, EventActor, Evidence, Place, Report

# An object's own rows, restored with it: model -> [(child model, foreign key attname)].
CHILDREN: dict[type[models.Model], list[tuple[type[models.Model], str]]] = {
    Event: [(EventActor, "event_id"), (Evidence, "event_id")],
    Actor: [],
    Place: [],
    Report: [],
}
# Bookkeeping the diff leaves out: it changes with every save or is derived from other fields.
QUIET = {"updated_at", "edited_at", "created_at", "search_keys", "latitude", "longitude"}
QUIET |= {"content_hash"}  # a report's text shows as its own change


@contextmanager
def recorded(comment: str, user=None) -> Iterator[None]:
    """Everything saved inside is one revision by `user`, described by `comment`."""
    with reversion.create_revision():
        reversion.set_comment(comment)
        if user is not None and user.is_authenticated:
            reversion.set_user(user)
        yield


def baseline(objects: Iterable[models.Model]) -> None:
    """Save the current state of objects that have no recorded version yet (one revision
    each). Call it before the change, outside any other revision."""
    if reversion.is_active():
        raise RuntimeError("baseline() must run before the change's revision opens")
    for obj in objects:
        if not Version.objects.get_for_object(obj).exists():
            with reversion.create_revision():
                reversion.set_comment("As it was before its first recorded change")
                if getattr(obj, "updated_at", None):
                    reversion.set_date_created(obj.updated_at)
                reversion.add_to_revision(obj)


def children_versions(version: Version) -> list[Version]:
    """The versions of the object's own rows saved in the same revision. An import's revision
    holds thousands of events' rows: the database narrows them by the serialized foreign key
    (the first field of both child models, so always followed by a comma), Python checks."""
    children = []
    for child_model, fk in CHILDREN[version._model]:
        content_type = ContentType.objects.get_for_model(child_model)
        key = f'"{fk.removesuffix("_id")}": {version.object_id},'
        rows = version.revision.version_set.filter(
            content_type=content_type, serialized_data__contains=key
        )
        children += [c for c in rows if str(c.field_dict[fk]) == version.object_id]
    return children


def object_revert(version: Version, user=None, adjust=None) -> models.Model:
    """Put one object back as `version` recorded it, with its own rows (roles, evidence);
    the revert is itself a new version. Other objects of that revision are left alone.
    `adjust(obj)` may amend the reverted object before it is saved (workflow rules)."""
    model = version._model
    children = children_versions(version)
    when = timezone.localtime(version.revision.date_created)
    with transaction.atomic():
        baseline([model.objects.get(pk=version.object_id)])
        with recorded(f"Reverted to the version of {when:%Y-%m-%d %H:%M}", user):
            for child_model, fk in CHILDREN[model]:
                child_model.objects.filter(**{fk: version.object_id}).delete()
            version.revert()
            for child in children:
                child.revert()
            obj = model.objects.get(pk=version.object_id)
            if isinstance(obj, Event):
                obj.edited_at = timezone.now()
            if adjust is not None:
                adjust(obj)
            obj.save()  # the ordinary save: fresh updated_at, derived fields, and a version
    return obj


# --------------------------------------------------------------------------- readable diffs


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryRow:
    version: Version
    changes: list[Change] = field(default_factory=list)
    first: bool = False


def _display(model: type[models.Model], name: str, value, names: dict) -> str:
    """A field's value as an editor reads it: choice labels, related objects' names."""
    if value is None or value == "" or value == []:
        return "—"
    field_ = _field(model, name)
    if field_.is_relation:
        return names.get((field_.related_model, value), f"#{value} (deleted)")
    if field_.choices:
        return str(dict(field_.flatchoices).get(value, value))
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _field(model: type[models.Model], attname: str) -> models.Field:
    return next(f for f in model._meta.concrete_fields if f.attname == attname)


def _label(model: type[models.Model], name: str) -> str:
    return str(_field(model, name).verbose_name).capitalize()


def _roles_text(roles: list[tuple[int, str]], names: dict) -> list[str]:
    labels = dict(EventActor.Role.choices)
    return sorted(
        f"{names.get((Actor, actor), f'#{actor}')} — {labels.get(role, role)}"
        for actor, role in roles
    )


@dataclass
class State:
    """One state of an object: its fields, and for an event its roles and evidence spans."""

    fields: dict
    roles: list[tuple[int, str]] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)

    @classmethod
    def of_version(cls, version: Version) -> State:
        children = children_versions(version) if CHILDREN[version._model] else []
        return cls(
            version.field_dict,
            [
                (c.field_dict["actor_id"], c.field_dict["role"])
                for c in children
                if c._model is EventActor
            ],
            sorted(_span(c.field_dict) for c in children if c._model is Evidence),
        )

    @classmethod
    def of_object(cls, obj: models.Model) -> State:
        fields = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
        if not isinstance(obj, Event):
            return cls(fields)
        return cls(
            fields,
            list(obj.event_actors.values_list("actor_id", "role")),
            sorted(_span(e) for e in obj.evidence.values("report_id", "start", "end")),
        )


def _span(data: dict) -> str:
    return f"report #{data['report_id']} [{data['start']}:{data['end']}]"


def related_names(model: type[models.Model], states: list[State]) -> dict:
    """(model, pk) -> name for every object the states point to: a few queries."""
    relations = {f.attname: f.related_model for f in model._meta.concrete_fields if f.is_relation}
    wanted: dict[type[models.Model], set] = defaultdict(set)
    for state in states:
        for name, value in state.fields.items():
            if value is not None and name in relations:
                wanted[relations[name]].add(value)
        wanted[Actor] |= {actor for actor, _ in state.roles}
    return {
        (related, obj.pk): str(obj)
        for related, pks in wanted.items()
        for obj in related.objects.filter(pk__in=pks)
    }


def diff(model: type[models.Model], older: State | None, newer: State, names: dict) -> list[Change]:
    """What changed from `older` to `newer`, field by field (and roles, evidence for events).
    With no older state, the fields the first version set."""
    changes = []
    for name, value in newer.fields.items():
        if name in QUIET or name == "id":
            continue
        old = older.fields.get(name) if older else None
        if (older is not None and old == value) or (older is None and value in (None, "", [])):
            continue
        before = _display(model, name, old, names) if older else ""
        changes.append(Change(_label(model, name), before, _display(model, name, value, names)))
    if model is Event:
        pairs = [
            (
                "Actors",
                _roles_text(older.roles, names) if older else [],
                _roles_text(newer.roles, names),
            ),
            ("Evidence", older.evidence if older else [], newer.evidence),
        ]
        for label, old, new in pairs:
            if old != new:
                changes.append(
                    Change(label, "; ".join(old) or ("—" if older else ""), "; ".join(new) or "—")
                )
    return changes


def history_rows(obj: models.Model) -> list[HistoryRow]:
    """Every version of `obj`, newest first, each with what changed since the one before."""
    model = type(obj)
    versions = list(
        Version.objects.get_for_object(obj)
        .select_related("revision", "revision__user")
        .order_by("revision__date_created", "pk")
    )
    states = [State.of_version(v) for v in versions]
    names = related_names(model, states)
    rows = [
        HistoryRow(
            version, diff(model, states[i - 1] if i else None, states[i], names), first=not i
        )
        for i, version in enumerate(versions)
    ]
    return rows[::-1]


def revert_preview(obj: models.Model, version: Version) -> list[Change]:
    """What reverting `obj` to `version` would change in it as it is now."""
    current, target = State.of_object(obj), State.of_version(version)
    return diff(type(obj), current, target, related_names(type(obj), [current, target]))


def comment_set(comment: str) -> None:
    """Describe the revision being recorded (the admin's own change message)."""
    if reversion.is_active():
        reversion.set_comment(comment)
