"""The review queue and the merge pages of the events admin.

The queue lists the events waiting for review (extracted or in review) with each evidence
sentence highlighted in its paragraph, likely duplicates, and buttons: accept (an editor
submits it for review, a reviewer publishes it), reject (reviewers), correct (the change form,
then back here) and "add this spelling as an alias" of the event's place or one of its actors.
Every button is a POST checked on the server and recorded in the history.

Report text is untrusted: it reaches the page only through `format_html` and the template
engine's escaping, never as markup.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import orjson
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Min, Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe

from events.curation import proposals, workflow
from events.curation.duplicates import duplicates_find
from events.curation.widgets import places_near
from events.mapconfig import map_config
from events.models import Actor, Event, EventActor, Evidence, Place, Proposal

PER_PAGE = 20
PARAGRAPH_MAX = 700  # characters of context shown on each side of the sentence, at most
ORDERS = {
    "-confidence": ("Most confident first", ["-confidence", "pk"]),
    "confidence": ("Least confident first", ["confidence", "pk"]),
    "-date": ("Latest first", ["-date_start", "pk"]),
    "date": ("Earliest first", ["date_start", "pk"]),
    "report": ("By report", ["first_report", "first_start", "pk"]),
}
# Confidence bands an editor can narrow the queue to (extraction's confidence, 0-1).
BANDS = {
    "": ("Any confidence", None),
    "high": ("0.8 and above", (0.8, 1.01)),
    "mid": ("0.5 to 0.8", (0.5, 0.8)),
    "low": ("below 0.5", (0.0, 0.5)),
}
STATUSES = {
    "waiting": ("Waiting (extracted or in review)", workflow.WAITING),
    "extracted": ("Extracted", [Event.Status.EXTRACTED]),
    "in_review": ("In review", [Event.Status.IN_REVIEW]),
    "rejected": ("Rejected, with the reason", [Event.Status.REJECTED]),
}


def urls(model_admin) -> list:
    view = model_admin.admin_site.admin_view

    def bind(function):
        return view(
            lambda request, *args, **kwargs: function(model_admin, request, *args, **kwargs)
        )

    return [
        path("review/", bind(queue_view), name="events_event_review"),
        path(
            "review/<int:pk>/<str:action>/", bind(queue_action), name="events_event_review_action"
        ),
        path(
            "review/proposal/<int:pk>/<str:action>/",
            bind(proposal_action),
            name="events_event_proposal_action",
        ),
        path("<int:pk>/merge/<int:target>/", bind(merge_view), name="events_event_merge"),
        path("<int:pk>/unmerge/", bind(unmerge_view), name="events_event_unmerge"),
    ]


# --------------------------------------------------------------------------- the queue


def paragraph_of(text: str, start: int, end: int) -> tuple[str, str, str]:
    """(before, sentence, after): the sentence text[start:end] within its paragraph (the
    line it sits on), trimmed to PARAGRAPH_MAX characters on each side."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", end)
    last = len(text) if last < 0 else last
    before, after = text[first:start], text[end:last]
    if len(before) > PARAGRAPH_MAX:
        before = "…" + before[-PARAGRAPH_MAX:]
    if len(after) > PARAGRAPH_MAX:
        after = after[:PARAGRAPH_MAX] + "…"
    return before, text[start:end], after


def queue_view(model_admin, request):
    if not model_admin.has_view_or_change_permission(request):
        raise PermissionDenied
    order = request.GET.get("order", "-confidence")
    order = order if order in ORDERS else "-confidence"
    status = request.GET.get("status", "waiting")
    status = status if status in STATUSES else "waiting"
    events = (
        Event.objects.filter(status__in=STATUSES[status][1])
        .select_related("place")
        .annotate(first_report=Min("evidence__report_id"), first_start=Min("evidence__start"))
        .prefetch_related(
            Prefetch(
                "event_actors",
                queryset=EventActor.objects.select_related("actor").order_by("role"),
            ),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.select_related("report__source").order_by("start"),
            ),
        )
        .order_by(*ORDERS[order][1])
    )
    band = request.GET.get("confidence", "")
    band = band if band in BANDS else ""
    if BANDS[band][1] is not None:
        low, high = BANDS[band][1]
        events = events.filter(confidence__gte=low, confidence__lt=high)
    report = request.GET.get("report", "")
    if report.isdigit():
        events = events.filter(evidence__report_id=int(report))
    page = Paginator(events, PER_PAGE).get_page(request.GET.get("page"))
    rejections = workflow.rejection_versions(list(page))  # who rejected each, and when
    items = []
    for event in page:
        evidence = []
        for ev in event.evidence.all():
            before, sentence, after = paragraph_of(ev.report.text, ev.start, ev.end)
            evidence.append({"ev": ev, "before": before, "sentence": sentence, "after": after})
        targets = [(f"place:{event.place.pk}", f"Place: {event.place.name}")] if event.place else []
        targets += [
            (f"actor:{ea.actor_id}", f"Actor: {ea.actor.name}") for ea in event.event_actors.all()
        ]
        items.append(
            {
                "event": event,
                "evidence": evidence,
                "duplicates": duplicates_find(event, limit=3),
                "alias_targets": targets,
                "rejection": rejections.get(event.pk),
                "change_url": reverse("admin:events_event_change", args=[event.pk])
                + "?"
                + urlencode({"next": request.get_full_path()}),
            }
        )
    waiting = Proposal.objects.filter(status=Proposal.Status.PENDING)
    waiting = waiting.select_related("author", "content_type").order_by("created_at", "pk")
    since = timezone.now() - timedelta(days=30)
    mine = Proposal.objects.filter(author=request.user, decided_at__gte=since)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Review queue",
        "proposals": proposals.proposals_shown(waiting[:PER_PAGE]),
        "proposals_count": waiting.count(),
        "my_proposals": mine.select_related("reviewer", "content_type").order_by("-decided_at"),
        "page": page,
        "items": items,
        "order": order,
        "orders": [(key, label) for key, (label, _) in ORDERS.items()],
        "bands": [(key, label) for key, (label, _) in BANDS.items()],
        "band": band,
        "status": status,
        "statuses": [(key, label) for key, (label, _) in STATUSES.items()],
        "report": report,
        "is_reviewer": workflow.is_reviewer(request.user),
        "here": request.get_full_path(),
    }
    return TemplateResponse(request, "admin/events/event/review_queue.html", context)


def _back(request) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("admin:events_event_review")
    return HttpResponseRedirect(target)


def queue_action(model_admin, request, pk: int, action: str):
    """accept, reject (with a reason), reopen (a rejected event, back to review) or alias, from
    a queue item's buttons (POST only)."""
    if request.method != "POST":
        return HttpResponseRedirect(reverse("admin:events_event_review"))
    event = get_object_or_404(Event, pk=pk)
    user = request.user
    try:
        if action == "accept":
            status = (
                Event.Status.PUBLISHED if workflow.is_reviewer(user) else Event.Status.IN_REVIEW
            )
            workflow.event_status_set([event], status, user)
            verb = "Published" if status == Event.Status.PUBLISHED else "Submitted for review"
            model_admin.message_user(request, f"{verb}: {event}.", messages.SUCCESS)
        elif action == "reject":
            reason = request.POST.get("reason", "")
            workflow.event_status_set([event], Event.Status.REJECTED, user, reason=reason)
            model_admin.message_user(
                request, f"Rejected: {event}. Why: {reason.strip()}", messages.SUCCESS
            )
        elif action == "reopen":
            if event.status != Event.Status.REJECTED:
                raise ValidationError(f"“{event}” is not rejected.")
            workflow.event_status_set([event], Event.Status.IN_REVIEW, user)
            model_admin.message_user(
                request, f"Reopened: {event} is in review again.", messages.SUCCESS
            )
        elif action == "alias":
            spelling = " ".join(request.POST.get("spelling", "").split())
            target, proposal = alias_add(spelling, request.POST.get("target", ""), user)
            if proposal is None:
                model_admin.message_user(
                    request, f"“{spelling}” is now an alias of {target}.", messages.SUCCESS
                )
            else:
                model_admin.message_user(
                    request,
                    f"“{spelling}” as an alias of {target} waits for a reviewer (the public "
                    "sees this actor's names).",
                    messages.WARNING,
                )
        else:
            raise ValidationError(f"Unknown action '{action}'.")
    except ValidationError as error:
        model_admin.message_user(request, " ".join(error.messages), messages.ERROR)
    return _back(request)


def proposal_action(model_admin, request, pk: int, action: str):
    """accept or decline a proposed change (reviewers; POST only)."""
    if request.method != "POST":
        return HttpResponseRedirect(reverse("admin:events_event_review"))
    proposal = get_object_or_404(Proposal, pk=pk)
    try:
        if action == "accept":
            target = proposals.proposal_accept(proposal, request.user)
            model_admin.message_user(
                request, f"Accepted {proposal.author}'s change to “{target}”.", messages.SUCCESS
            )
        elif action == "decline":
            proposals.proposal_decline(proposal, request.user, request.POST.get("reason", ""))
            model_admin.message_user(
                request,
                f"Declined {proposal.author}'s change; they will read why.",
                messages.SUCCESS,
            )
        else:
            raise ValidationError(f"Unknown action '{action}'.")
    except (ValidationError, IntegrityError) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        model_admin.message_user(request, f"Could not apply it: {text}", messages.ERROR)
    return _back(request)


def alias_add(spelling: str, target: str, user) -> tuple[Place | Actor, Proposal | None]:
    """Add `spelling` to the aliases of the place or actor `target` ('place:12', 'actor:3'),
    or propose it for review (events/proposals.py)."""
    spelling = " ".join(spelling.split())
    if not 2 <= len(spelling) <= 100:
        raise ValidationError("Select or type a spelling of 2 to 100 characters.")
    kind, _, pk = target.partition(":")
    model = {"place": Place, "actor": Actor}.get(kind)
    if model is None or not pk.isdigit():
        raise ValidationError("Choose the place or actor the spelling names.")
    if not user.has_perm(f"events.change_{kind}"):
        raise PermissionDenied(f"You may not change {kind}s.")
    obj = get_object_or_404(model, pk=int(pk))
    if spelling.casefold() in {name.casefold() for name in obj.all_names()}:
        raise ValidationError(f"{obj} already has the name “{spelling}”.")
    return obj, proposals.alias_or_propose(obj, spelling, user)


# --------------------------------------------------------------------------- change form parts


def place_map_html(event: Event | None) -> str:
    """The map of the Where fieldset: the researchers' basemap and names, the places around
    the event to click, the event's marker to drag."""
    point = [event.latitude, event.longitude] if event and event.latitude is not None else None
    return format_html(
        '<div class="atlas-event-map" data-places="{}" data-point="{}" data-config="{}"></div>',
        orjson.dumps(places_near(point)).decode(),
        orjson.dumps(point).decode(),
        orjson.dumps(map_config()).decode(),
    )


def duplicates_html(event: Event, duplicates) -> str:
    if not duplicates:
        return "None found."
    return format_html(
        "<ul class='atlas-duplicates'>{}</ul>",
        format_html_join(
            "",
            '<li><a href="{}">#{} {}</a> ({}; {}) — {} · <a class="button" href="{}">Merge this '
            "event into #{}</a></li>",
            (
                (
                    d.event.get_admin_url(),
                    d.event.pk,
                    d.event,
                    d.event.get_status_display(),
                    f"score {d.score:.2f}",
                    ", ".join(d.reasons),
                    reverse("admin:events_event_merge", args=[event.pk, d.event.pk]),
                    d.event.pk,
                )
                for d in duplicates
            ),
        ),
    )


def merges_html(event: Event) -> str:
    parts = []
    if event.status == Event.Status.MERGED and event.merged_into_id:
        parts.append(
            format_html(
                'Merged into <a href="{}">#{} {}</a> · <a class="button" href="{}">Undo the '
                "merge</a>",
                event.merged_into.get_admin_url(),
                event.merged_into_id,
                event.merged_into,
                reverse("admin:events_event_unmerge", args=[event.pk]),
            )
        )
    merged = list(event.merged_events.all())
    if merged:
        parts.append(
            format_html(
                "Merged into this one (their sources are its sources): {}",
                format_html_join(
                    ", ",
                    '<a href="{}">#{} {}</a>',
                    ((m.get_admin_url(), m.pk, m) for m in merged),
                ),
            )
        )
    return format_html_join(mark_safe("<br>"), "{}", ((p,) for p in parts)) if parts else "—"


# --------------------------------------------------------------------------- merging


def _summary(event: Event) -> dict:
    return {
        "event": event,
        "actors": event.event_actors.select_related("actor").order_by("role"),
        "evidence": event.evidence.select_related("report__source"),
    }


def merge_view(model_admin, request, pk: int, target: int):
    """Confirm, then merge event `pk` into event `target`."""
    duplicate, survivor = get_object_or_404(Event, pk=pk), get_object_or_404(Event, pk=target)
    if not model_admin.has_change_permission(request, duplicate):
        raise PermissionDenied
    if request.method == "POST":
        try:
            proposal = proposals.merge_or_propose(duplicate, survivor, request.user)
        except ValidationError as error:
            model_admin.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(duplicate.get_admin_url())
        if proposal is not None:
            model_admin.message_user(
                request,
                f"Merging #{duplicate.pk} into the published #{survivor.pk} waits for a "
                "reviewer: its sources would show with a published event.",
                messages.WARNING,
            )
            return HttpResponseRedirect(duplicate.get_admin_url())
        undo = reverse("admin:events_event_unmerge", args=[duplicate.pk])
        model_admin.message_user(
            request,
            format_html('Merged #{} into this event. <a href="{}">Undo</a>', duplicate.pk, undo),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(survivor.merge_target().get_admin_url())
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"Merge #{duplicate.pk} into #{survivor.pk}?",
        "duplicate": _summary(duplicate),
        "survivor": _summary(survivor),
        "swap_url": reverse("admin:events_event_merge", args=[survivor.pk, duplicate.pk]),
    }
    return TemplateResponse(request, "admin/events/event/merge_confirm.html", context)


def unmerge_view(model_admin, request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    if not model_admin.has_change_permission(request, event):
        raise PermissionDenied
    if request.method == "POST":
        try:
            status = workflow.event_unmerge(event, request.user)
        except ValidationError as error:
            model_admin.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            label = Event.Status(status).label.lower()
            model_admin.message_user(
                request, f"The merge is undone; the event is {label} again.", messages.SUCCESS
            )
        return HttpResponseRedirect(event.get_admin_url())
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"Undo the merge of #{event.pk}?",
        "event": event,
        "status": Event.Status(workflow.status_before_merge(event)).label,
    }
    return TemplateResponse(request, "admin/events/event/unmerge_confirm.html", context)


def merge_selected(model_admin, request, queryset):
    """The "merge selected events" action: choose the survivor, the others merge into it."""
    events = list(queryset.exclude(status=Event.Status.MERGED).order_by("date_start", "pk"))
    if len(events) < 2:
        model_admin.message_user(request, "Select two or more events to merge.", messages.WARNING)
        return None
    survivor_id = request.POST.get("survivor", "")
    if "apply" in request.POST and survivor_id.isdigit():
        survivor = next((e for e in events if e.pk == int(survivor_id)), None)
        if survivor is None:
            model_admin.message_user(request, "Choose one of the selected events.", messages.ERROR)
            return None
        proposed = 0
        try:
            for event in events:
                if event.pk != survivor.pk:
                    proposed += (
                        proposals.merge_or_propose(event, survivor, request.user) is not None
                    )
        except (ValidationError, PermissionDenied) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            model_admin.message_user(request, text, messages.ERROR)
            return None
        if proposed:
            model_admin.message_user(
                request,
                f"Merging {proposed} event(s) into the published #{survivor.pk} waits for a "
                "reviewer.",
                messages.WARNING,
            )
        else:
            model_admin.message_user(
                request, f"Merged {len(events) - 1} event(s) into #{survivor.pk}.", messages.SUCCESS
            )
        return None
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": "Merge the selected events",
        "events": [_summary(e) for e in events],
        "action_checkbox_name": "_selected_action",
    }
    return TemplateResponse(request, "admin/events/event/merge_selected.html", context)


def reject_selected(model_admin, request, queryset):
    """The "reject selected events" action: asks why (one reason for all), then rejects."""
    events = list(
        queryset.exclude(status__in=[Event.Status.MERGED, Event.Status.REJECTED]).order_by(
            "date_start", "pk"
        )
    )
    if not events:
        model_admin.message_user(
            request, "None of the selected events can be rejected.", messages.WARNING
        )
        return None
    error = ""
    if "apply" in request.POST:
        reason = request.POST.get("reason", "")
        try:
            count = workflow.event_status_set(
                events, Event.Status.REJECTED, request.user, reason=reason
            )
        except PermissionDenied as denied:
            model_admin.message_user(request, str(denied), messages.ERROR)
            return None
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
        else:
            model_admin.message_user(
                request, f"Rejected {count} event(s). Why: {reason.strip()}", messages.SUCCESS
            )
            return None
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.opts,
        "title": f"Reject {len(events)} event{'s' if len(events) != 1 else ''}",
        "events": [_summary(e) for e in events],
        "error": error,
        "reason": request.POST.get("reason", ""),
        "action_checkbox_name": "_selected_action",
    }
    return TemplateResponse(request, "admin/events/event/reject_selected.html", context)
