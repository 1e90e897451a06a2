"""Proposed changes: the public only ever sees reviewed content, and reviewed content stays
public while a change waits.

An editor's change to anything the public sees (a published event's fields, actor roles and
evidence; a report a published event cites; an outlet, actor or place shown with one; a merge
into a published event) is not applied: it is kept as a `Proposal`. A reviewer accepts it (it
is applied, as one recorded revision in the reviewer's name) or declines it with a reason the
editor reads. Reviewers' own changes apply at once. Changes to what the public does not see
(an unpublished candidate, a place's spellings) apply at once too.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone
from reversion.models import Version

from events.api.public import public_actor_ids
from events.curation import aliases, history, workflow
from events.models import (
    Actor,
    Event,
    EventActor,
    Evidence,
    Place,
    Proposal,
    Report,
    Source,
)

ALL = None  # every field the form edits
# model -> the fields whose change the public would see (ALL: every field).
REVIEWED: dict[type[models.Model], set[str] | None] = {
    Event: ALL,
    Report: ALL,
    Source: ALL,
    Actor: {"name", "kind", "parent", "country", "family", "aliases", "description"},
    # A place's other spellings are matching vocabulary, never shown: they apply at once.
    Place: {"name", "name_ar", "kind", "latitude", "longitude", "country", "admin1", "admin2"}
    | {"admin3"},
}


def is_public(obj: models.Model) -> bool:
    """Does the public see this object (or something of it)? One query."""
    public = Event.objects.public()
    if isinstance(obj, Event):
        return obj.status == Event.Status.PUBLISHED or (
            obj.status == Event.Status.MERGED
            and obj.merge_target().status == Event.Status.PUBLISHED
        )
    if isinstance(obj, Report):
        return Evidence.objects.filter(report=obj, event__in=public).exists()
    if isinstance(obj, Source):
        return Evidence.objects.filter(report__source=obj, event__in=public).exists()
    if isinstance(obj, Actor):
        return obj.pk in public_actor_ids()
    if isinstance(obj, Place):
        return public.filter(place=obj).exists()
    return False


def needs_review(user, obj: models.Model, changed: Iterable[str]) -> bool:
    """Must `user`'s change of these fields of `obj` wait for a reviewer?"""
    if obj.pk is None or workflow.is_reviewer(user) or type(obj) not in REVIEWED:
        return False
    fields = REVIEWED[type(obj)]
    if fields is not ALL and not set(changed) & fields:
        return False
    return is_public(obj)


# --------------------------------------------------------------------------- making proposals


def _values(obj: models.Model, names: Iterable[str]) -> dict:
    """Fields of an object as JSON-able values, by field name (a relation as its pk)."""
    data = serializers.serialize("python", [obj])[0]["fields"]
    return {name: data[name] for name in names if name in data}


def proposal_make(target: models.Model, changes: dict, user, summary: str) -> Proposal:
    """Keep `changes` to `target` for review. The base records what the changed fields held,
    so the reviewer sees what moved since."""
    current = type(target)._base_manager.get(pk=target.pk)
    base = _values(current, changes.get("fields", {}))
    base["updated_at"] = getattr(current, "updated_at", None)
    return Proposal.objects.create(
        content_type=ContentType.objects.get_for_model(type(target)),
        object_id=target.pk,
        changes=changes,
        base=base,
        summary=summary[:2000],
        author=user,
    )


def _inline_rows(formset) -> list[models.Model]:
    """The rows an inline formset would leave: kept, changed and added, not deleted."""
    rows = []
    for form in formset.forms:
        if formset.can_delete and formset._should_delete_form(form):
            continue
        if form.instance.pk is None and not form.has_changed():
            continue  # an empty extra row
        rows.append(form.instance)
    return rows


def changes_from_forms(form, formsets) -> dict:
    """What an admin form and its inlines would change, as a proposal's `changes`."""
    names = [n for n in form.changed_data if n in {f.name for f in form.instance._meta.fields}]
    changes: dict = {"fields": _values(form.instance, names)} if names else {}
    for formset in formsets:
        if not formset.has_changed():
            continue
        rows = _inline_rows(formset)
        if formset.model is EventActor:
            changes["roles"] = sorted([row.actor_id, row.role] for row in rows)
        elif formset.model is Evidence:
            changes["evidence"] = sorted(
                (
                    {"report": r.report_id, "quote": r.quote, "start": r.start, "end": r.end}
                    | {"rules": r.rules}
                    for r in rows
                ),
                key=lambda e: (e["report"], e["start"]),
            )
    return changes


def changes_summary(model: type[models.Model], changes: dict) -> str:
    """A proposal in words: 'Changed Title, Place; the actors; the evidence.'"""
    parts = []
    if changes.get("fields"):
        labels = [str(model._meta.get_field(n).verbose_name) for n in changes["fields"]]
        parts.append(", ".join(label[:1].upper() + label[1:] for label in labels))
    parts += ["the actors"] * ("roles" in changes) + ["the evidence"] * ("evidence" in changes)
    return f"Changed {'; '.join(parts)}." if parts else "No change."


def changes_from_version(obj: models.Model, version: Version) -> dict:
    """A revert to `version`, as a proposal: every field that differs, and an event's roles
    and evidence as the version had them."""
    then = serializers.deserialize("python", [_version_data(version)])
    then = next(then).object
    names = [
        f.name
        for f in obj._meta.concrete_fields
        if f.attname not in history.QUIET
        and f.name != "id"
        and getattr(obj, f.attname) != getattr(then, f.attname)
    ]
    changes: dict = {"fields": _values(then, names)} if names else {}
    if isinstance(obj, Event):
        state = history.State.of_version(version)
        children = history.children_versions(version)
        changes["roles"] = sorted([actor, role] for actor, role in state.roles)
        changes["evidence"] = sorted(
            (
                {
                    "report": c.field_dict["report_id"],
                    "quote": c.field_dict["quote"],
                    "start": c.field_dict["start"],
                    "end": c.field_dict["end"],
                    "rules": c.field_dict["rules"],
                }
                for c in children
                if c._model is Evidence
            ),
            key=lambda e: (e["report"], e["start"]),
        )
    return changes


def _version_data(version: Version) -> dict:
    return json.loads(version.serialized_data)[0]


def _stamp(when) -> str | None:
    """A time as the proposal's JSON stores it (to the millisecond)."""
    return None if when is None else DjangoJSONEncoder().default(when)


# --------------------------------------------------------------------------- review


def _require_reviewer(user) -> None:
    if not workflow.is_reviewer(user):
        raise PermissionDenied("Only reviewers accept or decline proposed changes.")


def proposal_accept(proposal: Proposal, reviewer) -> models.Model:
    """Apply the change, recorded as one revision by the reviewer that names the editor."""
    _require_reviewer(reviewer)
    if proposal.status != Proposal.Status.PENDING:
        raise ValidationError("This change was already decided.")
    model = proposal.content_type.model_class()
    changes = proposal.changes
    when = timezone.localtime(proposal.created_at)
    comment = (
        f"Accepted the change {proposal.author} proposed on {when:%Y-%m-%d %H:%M}: "
        f"{proposal.summary or 'no description'}"
    )
    with transaction.atomic():
        target = model._base_manager.select_for_update().get(pk=proposal.object_id)
        if isinstance(target, Actor | Place) and "aliases" in changes.get("fields", {}):
            # Another actor or place may have taken the name since it was proposed.
            fields = changes["fields"]
            new = aliases.added(target.aliases, fields["aliases"])
            aliases.aliases_check(target, new, own=[fields.get("name") or ""])
        if "merge" in changes:
            duplicate = Event.objects.get(pk=changes["merge"])
            workflow.event_merge(duplicate, target, reviewer)
        else:
            history.baseline([target])
            with history.recorded(comment, reviewer):
                _apply(target, changes)
        proposal.status = Proposal.Status.ACCEPTED
        proposal.reviewer, proposal.decided_at = reviewer, timezone.now()
        proposal.save(update_fields=["status", "reviewer", "decided_at"])
    return target


def _apply(target: models.Model, changes: dict) -> None:
    fields = changes.get("fields", {})
    if fields:
        data = {"model": target._meta.label_lower, "pk": target.pk, "fields": fields}
        proposed = next(serializers.deserialize("python", [data])).object
        for name in fields:
            attname = target._meta.get_field(name).attname
            setattr(target, attname, getattr(proposed, attname))
    if isinstance(target, Event):
        target.edited_at = timezone.now()
    target.full_clean(validate_unique=False, validate_constraints=False)
    target.save()
    if "roles" in changes:
        target.event_actors.all().delete()
        for actor, role in changes["roles"]:
            EventActor.objects.create(event=target, actor_id=actor, role=role)
    if "evidence" in changes:
        target.evidence.all().delete()
        for row in changes["evidence"]:
            evidence = Evidence(event=target, report_id=row["report"], quote=row["quote"])
            evidence.start, evidence.end, evidence.rules = row["start"], row["end"], row["rules"]
            evidence.full_clean(exclude=["event"])
            evidence.save()
    if "roles" in changes or "evidence" in changes:
        target.save()  # its version now holds the new roles and evidence
    if isinstance(target, Report) and "text" in fields:
        from events.pipeline.extract import report_extract

        report_extract(target)


def proposal_decline(proposal: Proposal, reviewer, reason: str) -> None:
    _require_reviewer(reviewer)
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError("Say why, for the editor who proposed it.")
    if proposal.status != Proposal.Status.PENDING:
        raise ValidationError("This change was already decided.")
    proposal.status = Proposal.Status.DECLINED
    proposal.reviewer, proposal.decided_at, proposal.reason = reviewer, timezone.now(), reason
    proposal.save(update_fields=["status", "reviewer", "decided_at", "reason"])


def merge_or_propose(duplicate: Event, survivor: Event, user) -> Proposal | None:
    """Merge `duplicate` into `survivor`, or, when that would put an editor's unreviewed
    sources on a published event, propose it (returned) for a reviewer."""
    survivor = workflow.merge_check(duplicate, survivor, user)
    if survivor.status == Event.Status.PUBLISHED and not workflow.is_reviewer(user):
        return proposal_make(
            survivor, {"merge": duplicate.pk}, user, f"Merge #{duplicate.pk} {duplicate} into it"
        )
    workflow.event_merge(duplicate, survivor, user)
    return None


def alias_or_propose(obj: Actor | Place, spelling: str, user) -> Proposal | None:
    """Add a spelling to an actor's or place's aliases, or propose it when the public would
    see it (an actor of published events) and the user is not a reviewer. A common word, a
    number or another actor's or place's name is refused (events/curation/aliases.py)."""
    aliases.aliases_check(obj, [spelling])
    if needs_review(user, obj, {"aliases"}):
        changes = {"fields": {"aliases": [*obj.aliases, spelling]}}
        return proposal_make(obj, changes, user, f"Alias “{spelling}” added from the review queue")
    history.baseline([obj])
    with history.recorded(f"Alias “{spelling}” added from the review queue", user):
        obj.aliases = [*obj.aliases, spelling]
        obj.full_clean()
        obj.save()
    return None


# --------------------------------------------------------------------------- showing them


def notices(obj: models.Model, user) -> list[str]:
    """What an editor opening `obj` should know: changes waiting for review, and their own
    changes declined in the last 30 days with the reviewer's reason. One query."""
    rows = Proposal.objects.filter(
        content_type=ContentType.objects.get_for_model(type(obj)), object_id=obj.pk
    ).select_related("author", "reviewer")
    since = timezone.now() - timezone.timedelta(days=30)
    lines = []
    for proposal in rows.filter(
        models.Q(status=Proposal.Status.PENDING)
        | models.Q(status=Proposal.Status.DECLINED, author=user, decided_at__gte=since)
    ):
        when = f"{timezone.localtime(proposal.created_at):%Y-%m-%d %H:%M}"
        who = "your" if proposal.author_id == user.pk else f"{proposal.author}'s"
        if proposal.status == Proposal.Status.PENDING:
            lines.append(f"Waiting for review: {who} change of {when} ({proposal.summary}).")
        else:
            lines.append(
                f"Declined by {proposal.reviewer}: your change of {when} ({proposal.summary}). "
                f"Why: {proposal.reason}"
            )
    return lines


@dataclass
class ProposalView:
    proposal: Proposal
    target: models.Model | None
    changes: list[history.Change]
    moved_since: bool  # the target was saved after the proposal was made


def proposals_shown(proposals: Iterable[Proposal]) -> list[ProposalView]:
    """Each proposal with its target and a field-by-field diff against the target now."""
    shown = []
    for proposal in proposals:
        model = proposal.content_type.model_class()
        target = model._base_manager.filter(pk=proposal.object_id).first()
        if target is None:
            shown.append(ProposalView(proposal, None, [], False))
            continue
        moved = proposal.base.get("updated_at") != _stamp(getattr(target, "updated_at", None))
        shown.append(ProposalView(proposal, target, proposal_diff(proposal, target), moved))
    return shown


def proposal_diff(proposal: Proposal, target: models.Model) -> list[history.Change]:
    model = type(target)
    changes = proposal.changes
    if "merge" in changes:
        duplicate = Event.objects.filter(pk=changes["merge"]).first()
        what = f"#{changes['merge']} {duplicate or '(deleted)'}"
        return [history.Change("Merge", "", f"{what} merges into this event, adding its sources")]
    now = history.State.of_object(target)
    proposed = history.State(dict(now.fields), list(now.roles), list(now.evidence))
    fields = changes.get("fields", {})
    if fields:
        data = {"model": target._meta.label_lower, "pk": target.pk, "fields": fields}
        obj = next(serializers.deserialize("python", [data])).object
        for name in fields:
            attname = model._meta.get_field(name).attname
            proposed.fields[attname] = getattr(obj, attname)
    if "roles" in changes:
        proposed.roles = [tuple(r) for r in changes["roles"]]
    if "evidence" in changes:
        proposed.evidence = sorted(
            f"report #{e['report']} [{e['start']}:{e['end']}]" for e in changes["evidence"]
        )
    names = history.related_names(model, [now, proposed])
    return history.diff(model, now, proposed, names)
