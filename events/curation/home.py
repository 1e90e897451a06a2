"""The admin home's summary for editors: what waits for them, with links.

How many events wait for review (extracted, in review) and how many are rejected, the changes
proposed to what the public sees, the dataset imports queued, running or failed this week, and
the first few events of the review queue (in its default order, so each is on its first page).
Only what the user may see. Two queries: every count in one (a UNION of grouped counts, each
over an indexed column), then the first few events.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import CharField, Count, Q, Value
from django.utils import timezone

from events.curation import review, workflow
from events.models import Event, ImportJob, Proposal

FIRST = 5  # events of the queue listed on the home page
FAILED_DAYS = 7  # a failed import is shown for a week


def _counted(queryset, key: str | None = None):
    """`(key, count)` rows grouped by the key column, or by a constant `key`."""
    queryset = queryset.order_by()
    if key is None:
        return queryset
    return (
        queryset.annotate(k=Value(key, output_field=CharField()))
        .values_list("k")
        .annotate(n=Count("pk"))
    )


def home_summary(user) -> dict | None:
    """The counts and first events of the review queue for `user`; None if they may not
    see events. Two queries (the permissions are cached on the user)."""
    if not user.has_perm("events.view_event"):
        return None
    statuses = [*workflow.WAITING, Event.Status.REJECTED]
    parts = []
    if user.has_perm("events.view_proposal"):
        parts.append(_counted(Proposal.objects.filter(status=Proposal.Status.PENDING), "pending"))
    if user.has_perm("events.view_importjob"):
        since = timezone.now() - timedelta(days=FAILED_DAYS)
        jobs = ImportJob.objects.filter(
            Q(state__in=[ImportJob.State.QUEUED, ImportJob.State.RUNNING])
            | Q(state=ImportJob.State.FAILED, finished_at__gte=since)
        )
        parts.append(_counted(jobs.values_list("state").annotate(n=Count("pk"))))
    events = Event.objects.filter(status__in=statuses).values_list("status")
    counts = _counted(events.annotate(n=Count("pk")))
    counts = dict(counts.union(*parts, all=True) if parts else counts)
    first = (
        Event.objects.filter(status__in=workflow.WAITING)
        .order_by(*review.ORDERS["-confidence"][1])
        .only("pk", "title", "date_start", "confidence", "status")[:FIRST]
    )
    waiting = counts.get(Event.Status.EXTRACTED, 0) + counts.get(Event.Status.IN_REVIEW, 0)
    return {
        "waiting": waiting,
        "extracted": counts.get(Event.Status.EXTRACTED, 0),
        "in_review": counts.get(Event.Status.IN_REVIEW, 0),
        "rejected": counts.get(Event.Status.REJECTED, 0),
        "first": list(first) if waiting else [],
        "proposals": counts.get("pending", 0) if user.has_perm("events.view_proposal") else None,
        "jobs": {
            "queued": counts.get(ImportJob.State.QUEUED, 0),
            "running": counts.get(ImportJob.State.RUNNING, 0),
            "failed": counts.get(ImportJob.State.FAILED, 0),
        }
        if user.has_perm("events.view_importjob")
        else None,
        "failed_days": FAILED_DAYS,
    }
