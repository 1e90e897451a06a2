"""The editors' workflow: who may move an event where, merging duplicates and undoing a merge.

extracted -> (editor corrects, submits) -> in review -> (reviewer) -> published or rejected.
Any event can be merged into another; the merged one keeps its evidence and points to the
survivor, which shows every source of the events merged into it. Each step is one recorded
revision per event (events/history.py), made by the user who took it; permissions are checked
here, on the server, whatever page or command asks.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from events.curation.history import baseline, recorded
from events.models import Event

Status = Event.Status
# Only reviewers (the `publish_event` permission) take an event to or from these.
REVIEWER_ONLY = {Status.PUBLISHED, Status.REJECTED}
WAITING = [Status.EXTRACTED, Status.IN_REVIEW]


def is_reviewer(user) -> bool:
    return user.has_perm("events.publish_event")


def status_allowed(user, status: str, current: str | None = None) -> bool:
    """May `user` move an event from `current` to `status`? Editors correct and submit;
    reviewers also publish and reject (and take an event back out of those)."""
    if not user.has_perm("events.change_event"):
        return False
    if status == Status.MERGED:
        return False  # only through event_merge, which records the survivor
    return is_reviewer(user) or (status not in REVIEWER_ONLY and current not in REVIEWER_ONLY)


REASON_REQUIRED = "Say why it is rejected: the editors read the reason."


def reason_clean(reason: str | None) -> str:
    """A rejection's reason as kept: trimmed; refused when empty (the editors read it)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(REASON_REQUIRED, code="reason_required")
    return reason


def event_status_set(events: Iterable[Event], status: str, user, *, reason: str = "") -> int:
    """Move each event to `status`, one recorded revision each. Merged events are skipped.
    Raises PermissionDenied, before changing anything, if the user may not make a move, and
    ValidationError if a published event would have no place (Event.clean's rule) or a
    rejection has no reason.

    A rejection keeps its `reason` on each event (one reason for a bulk reject) and in the
    revision's comment. Reopening a rejected event (any move out of rejected) clears the
    reason: it described a decision that no longer holds, and the history keeps it (the
    reopening revision's comment quotes it)."""
    events = [e for e in events if e.status != Status.MERGED and e.status != status]
    for event in events:
        if not status_allowed(user, status, event.status):
            raise PermissionDenied(f"You may not move '{event}' to {Status(status).label}.")
    if status == Status.REJECTED and events:
        reason = reason_clean(reason)
    unplaced = [e for e in events if e.place_id is None and not e.own_coordinates]
    if status == Status.PUBLISHED and unplaced:
        titles = ", ".join(str(e) for e in unplaced[:5])
        raise ValidationError(f"Give these a place before publishing them: {titles}")
    label = Status(status).label.lower()
    baseline(events)
    with transaction.atomic():
        for event in events:
            comment = f"Status: {Status(event.status).label.lower()} → {label}"
            if status == Status.REJECTED:
                comment += f". Why: {reason}"
            elif event.status == Status.REJECTED and event.rejection_reason:
                comment += f" (it had been rejected because: {event.rejection_reason})"
            with recorded(comment, user):
                event.status = status
                event.rejection_reason = reason if status == Status.REJECTED else ""
                event.edited_at = timezone.now()
                event.save(update_fields=["status", "rejection_reason", "edited_at", "updated_at"])
    return len(events)


def rejection_versions(events: Iterable[Event]) -> dict[int, Version]:
    """For each rejected event, the recorded version in which it became rejected (its
    revision says who and when): its history walked back while it stays rejected. One query
    for all the events."""
    rejected = {e.pk: e for e in events if e.status == Status.REJECTED and e.pk is not None}
    if not rejected:
        return {}
    versions = (
        Version.objects.get_for_model(Event)
        .filter(object_id__in=[str(pk) for pk in rejected])
        .select_related("revision__user")
        .order_by("-revision__date_created", "-pk")
    )
    found: dict[int, Version] = {}
    done: set[int] = set()
    for version in versions:
        pk = int(version.object_id)
        if pk in done:
            continue
        if version.field_dict["status"] != Status.REJECTED:
            done.add(pk)
        else:
            found[pk] = version
    return found


def rejection_version(event: Event) -> Version | None:
    """The version in which `event` became rejected, or None if it is not rejected."""
    return rejection_versions([event]).get(event.pk)


def merge_check(duplicate: Event, survivor: Event, user) -> Event:
    """Refuse a merge that cannot be made by anyone; the event it would really go into."""
    if not user.has_perm("events.change_event"):
        raise PermissionDenied("You may not merge events.")
    survivor = survivor.merge_target()
    if survivor.pk == duplicate.pk:
        raise ValidationError("An event cannot be merged into itself.")
    if duplicate.status == Status.MERGED:
        raise ValidationError(f"'{duplicate}' is already merged into another event.")
    if survivor.status == Status.REJECTED:
        raise ValidationError("Merge into an event that is not rejected.")
    if duplicate.status == Status.PUBLISHED and not is_reviewer(user):
        raise PermissionDenied("Only a reviewer can merge a published event into another.")
    return survivor


def event_merge(duplicate: Event, survivor: Event, user) -> None:
    """Merge `duplicate` into `survivor`: the duplicate keeps its evidence, roles and history,
    leaves the map, and points to the survivor (events merged into it follow along)."""
    survivor = merge_check(duplicate, survivor, user)
    if survivor.status == Status.PUBLISHED and not is_reviewer(user):
        # Its sources would go public unreviewed: events/proposals.py proposes it instead.
        raise PermissionDenied("Only a reviewer can merge into a published event.")
    baseline([duplicate])
    with transaction.atomic(), recorded(f"Merged into #{survivor.pk} {survivor}", user):
        duplicate.status = Status.MERGED
        duplicate.merged_into = survivor
        duplicate.edited_at = timezone.now()
        duplicate.save(update_fields=["status", "merged_into", "edited_at", "updated_at"])


def status_before_merge(event: Event) -> str:
    """The status the event had before its merge, read from its history."""
    for version in Version.objects.get_for_object(event).order_by("-revision__date_created", "-pk"):
        status = version.field_dict["status"]
        if status != Status.MERGED:
            return status
    return Status.IN_REVIEW


def event_unmerge(event: Event, user) -> str:
    """Undo a merge: the event stands on its own again with the status it had before.
    An editor's undo of a published event's merge sends it to review. Returns the status."""
    if event.status != Status.MERGED:
        raise ValidationError(f"'{event}' is not merged.")
    if not user.has_perm("events.change_event"):
        raise PermissionDenied("You may not undo merges.")
    status = status_before_merge(event)
    if status in REVIEWER_ONLY and not is_reviewer(user):
        status = Status.IN_REVIEW
    survivor = event.merged_into
    with transaction.atomic(), recorded(f"Merge into #{survivor.pk} undone", user):
        event.status = status
        event.merged_into = None
        if status != Status.REJECTED:
            event.rejection_reason = ""  # a rejection's reason holds only while rejected
        event.edited_at = timezone.now()
        fields = ["status", "merged_into", "rejection_reason", "edited_at", "updated_at"]
        event.save(update_fields=fields)
    return status
