"""The editors' admin: reports with their events, events with actors and evidence, actors,
and places with a small offline map.

Everything shown from data goes through `format_html`/`format_html_join` (report text is
untrusted), list pages select or prefetch what they display, and filters follow what editors
ask of the data: status, type, actor (with its units), governorate, date.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from reversion.models import Version

from events.curation import aliases, history, proposals, review, workflow
from events.curation.duplicates import duplicates_find
from events.curation.widgets import PlaceMapWidget
from events.families import BY_KEY, actor_colours
from events.gazetteer.geocoder import in_region
from events.gazetteer.keys import place_key
from events.gazetteer.units import units_at
from events.models import (
    Actor,
    DatePrecision,
    Event,
    EventActor,
    Evidence,
    Place,
    Proposal,
    Report,
    Source,
    name_problem,
)
from events.pipeline.extract import report_extract
from events.pipeline.text import ReportTextError, text_clean

# --------------------------------------------------------------------------- shared pieces


class NamesField(forms.CharField):
    """A list of names edited as a textarea, one name per line."""

    widget = forms.Textarea(attrs={"rows": 6, "cols": 60})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value) -> list[str]:
        value = super().to_python(value)
        names = []
        for line in (value or "").splitlines():
            name = " ".join(line.split())
            if name and name not in names:
                names.append(name)
        return names


# Typed URLs without a scheme are read as https (Django 6's default, set here explicitly).
URL_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}

ALIASES_HELP = (
    "Other spellings, one per line. The next extraction and geocoding use them. Common words "
    "(the, al, near, village), numbers and names of other actors or places are refused."
)


def aliases_clean(form: forms.ModelForm, data: dict, **context) -> None:
    """Refuse, on the aliases field, new aliases that are common words or numbers, or name
    another actor or place (events/curation/aliases.py). An error here skips the model's own
    validator, so the cheap rules are repeated for the new aliases."""
    saved = form.instance.aliases if form.instance.pk else []
    new = aliases.added(saved, data.get("aliases") or [])
    own = [data.get("name") or "", data.get("name_ar") or ""]
    problems = [p for p in map(name_problem, new) if p]
    problems += aliases.alias_conflicts(form.instance, new, own=own, **context)
    if problems:
        form.add_error("aliases", problems)


class ConcurrentEditForm(forms.ModelForm):
    """Refuses a save when someone else saved the object after this form was opened.

    The form carries the `updated_at` it was opened with; if the row has moved on since, the
    second editor gets an error naming who saved it and when, with a link to reload, and
    nothing is overwritten.
    """

    loaded_at = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["loaded_at"].initial = self.instance.updated_at.isoformat()

    def clean(self):
        data = super().clean()
        loaded = data.get("loaded_at")
        if self.instance.pk is None or not loaded:
            return data
        model = type(self.instance)
        current = model.objects.filter(pk=self.instance.pk).values_list("updated_at", flat=True)
        current = current.first()
        if current is not None and current.isoformat() != loaded:
            latest = Version.objects.get_for_object(self.instance).select_related("revision")
            latest = latest.first()
            who = latest.revision.user if latest and latest.revision.user else "someone else"
            when = timezone.localtime(current)
            raise forms.ValidationError(
                format_html(
                    "{} saved this {} at {}, after you opened it, so your changes were not "
                    'saved. <a href="{}">Reload it</a> to see theirs, then make yours again.',
                    who,
                    model._meta.verbose_name,
                    f"{when:%H:%M:%S on %Y-%m-%d}",
                    reverse(
                        f"admin:events_{model._meta.model_name}_change", args=[self.instance.pk]
                    ),
                ),
                code="concurrent_edit",
            )
        return data


class HistoryAdmin(admin.ModelAdmin):
    """Every save through the admin is a recorded revision (django-reversion) with the user
    and the admin's own description of the change; the history page shows each version's
    changes and can revert the object to any of them."""

    object_history_template = "admin/events/object_history.html"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method != "POST":
            return super().changeform_view(request, object_id, form_url, extra_context)
        # A save is one transaction that locks the row first (PostgreSQL: SELECT ... FOR
        # UPDATE; SQLite: the write lock its IMMEDIATE transaction takes at BEGIN), so the
        # form's "has someone saved since you opened it?" check and the write are one step:
        # of two editors saving at once, the second waits, then is told, never overwrites.
        with transaction.atomic():
            if object_id:
                locked = self.model._default_manager.select_for_update()
                obj = locked.filter(pk=unquote(object_id)).first()
                if obj is not None:
                    history.baseline([obj])
            with history.recorded("", request.user):
                return super().changeform_view(request, object_id, form_url, extra_context)

    # An editor's change to something the public sees is kept as a proposal for a reviewer
    # (events/proposals.py): the object is not saved, the public keeps the reviewed version.

    def save_model(self, request, obj, form, change) -> None:
        if change and proposals.needs_review(request.user, obj, form.changed_data):
            request.atlas_proposing = True  # made in save_related, once the inlines are known
            return
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        if not getattr(request, "atlas_proposing", False):
            super().save_related(request, form, formsets, change)
            return
        changes = proposals.changes_from_forms(form, formsets)
        if changes:
            request.atlas_proposal = proposals.proposal_make(
                form.instance, changes, request.user, proposals.changes_summary(self.model, changes)
            )

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "atlas_proposing", False):
            return []  # the inlines were not saved, so Django's own description cannot run
        return super().construct_change_message(request, form, formsets, add)

    def log_change(self, request, obj, message):
        if getattr(request, "atlas_proposing", False):
            return None  # nothing changed yet
        entry = super().log_change(request, obj, message)
        history.comment_set(entry.get_change_message() or "Saved with no changes.")
        return entry

    def response_change(self, request, obj):
        if not getattr(request, "atlas_proposing", False):
            return super().response_change(request, obj)
        if getattr(request, "atlas_proposal", None) is None:
            self.message_user(request, "Nothing was changed.", messages.INFO)
        else:
            self.message_user(
                request,
                f"Your change to “{obj}” waits for a reviewer. Until one accepts it, the public "
                "sees the reviewed version.",
                messages.WARNING,
            )
        target = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = request.path
        return HttpResponseRedirect(target)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            for line in proposals.notices(obj, request.user) if obj is not None else []:
                self.message_user(request, line, messages.INFO)
        return super().change_view(request, object_id, form_url, extra_context)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        history.comment_set(entry.get_change_message() or "Added.")
        return entry

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/history/<int:version_id>/revert/",
                self.admin_site.admin_view(self.revert_view),
                name="{}_{}_revert".format(*info),
            ),
            *super().get_urls(),
        ]

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        rows = history.history_rows(obj) if obj is not None else []
        context = {"history_rows": rows, **(extra_context or {})}
        return super().history_view(request, object_id, context)

    def revert_view(self, request, object_id, version_id):
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(
            Version.objects.get_for_object(obj).select_related("revision"), pk=version_id
        )
        change_url = reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[quote(obj.pk)]
        )
        if request.method == "POST":
            changes = proposals.changes_from_version(obj, version)
            if proposals.needs_review(request.user, obj, changes.get("fields", {})):
                when = timezone.localtime(version.revision.date_created)
                proposals.proposal_make(
                    obj, changes, request.user, f"Revert to the version of {when:%Y-%m-%d %H:%M}"
                )
                self.message_user(
                    request,
                    f"Your revert of “{obj}” waits for a reviewer. Until one accepts it, the "
                    "public sees the reviewed version.",
                    messages.WARNING,
                )
                return HttpResponseRedirect(change_url)
            try:
                obj = history.object_revert(
                    version, request.user, lambda o: self.revert_adjust(request, o)
                )
            except (IntegrityError, ValidationError) as error:
                self.message_user(request, f"Could not revert: {error}", messages.ERROR)
                return HttpResponseRedirect(request.path)
            self.message_user(request, f"Reverted “{obj}” to an earlier version.", messages.SUCCESS)
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": obj,
            "version": version,
            "changes": history.revert_preview(obj, version),
            "change_url": change_url,
            "title": f"Revert “{obj}”",
        }
        return TemplateResponse(request, "admin/events/revert_confirm.html", context)

    def revert_adjust(self, request, obj) -> None:
        """A hook for rules a revert must respect (events: who may publish)."""


# --------------------------------------------------------------------------- sources, reports


class SourceForm(ConcurrentEditForm):
    url = forms.URLField(required=False, assume_scheme="https", help_text="The outlet's home page.")

    class Meta:
        model = Source
        fields = ["name", "url", "scale", "notes", "loaded_at"]


@admin.register(Source)
class SourceAdmin(HistoryAdmin):
    form = SourceForm
    formfield_overrides = URL_OVERRIDES
    list_display = ["name", "scale", "report_count"]
    list_filter = ["scale"]
    search_fields = ["name", "url"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_reports=Count("reports")).order_by("name")

    @admin.display(description="Reports", ordering="n_reports")
    def report_count(self, obj: Source) -> int:
        return obj.n_reports


class ReportEvidenceInline(admin.TabularInline):
    """The events drawn from a report, each with the sentence that supports it."""

    model = Evidence
    fk_name = "report"
    extra = 0
    can_delete = False
    fields = [
        "event_link",
        "event_kind",
        "event_status",
        "confidence",
        "span",
        "quote",
        "rule_list",
    ]
    readonly_fields = fields
    verbose_name = "event drawn from this report"
    verbose_name_plural = "events drawn from this report (the sentence, and the rules that fired)"

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("event")

    @admin.display(description="Event")
    def event_link(self, obj: Evidence) -> str:
        return format_html('<a href="{}">{}</a>', obj.event.get_admin_url(), obj.event)

    @admin.display(description="Status")
    def event_status(self, obj: Evidence) -> str:
        return obj.event.get_status_display()

    @admin.display(description="Span")
    def span(self, obj: Evidence) -> str:
        return f"{obj.start}-{obj.end}"

    @admin.display(description="Type")
    def event_kind(self, obj: Evidence) -> str:
        return obj.event.get_sub_event_type_display()

    @admin.display(description="Confidence")
    def confidence(self, obj: Evidence) -> str:
        return "" if obj.event.confidence is None else f"{obj.event.confidence:.2f}"

    @admin.display(description="Rules")
    def rule_list(self, obj: Evidence) -> str:
        return ", ".join(str(r) for r in obj.rules)


class ReportForm(ConcurrentEditForm):
    """A pasted report: HTML keeps its text; empty, binary or non-English text is refused."""

    url = forms.URLField(max_length=1000, required=False, assume_scheme="https")

    class Meta:
        model = Report
        fields = ["source", "title", "url", "language", "published", "published_note"]
        fields += ["retrieved_at", "text", "loaded_at"]

    def clean_text(self) -> str:
        try:
            return text_clean(self.cleaned_data["text"], name="The text")
        except ReportTextError as error:
            raise forms.ValidationError(str(error)) from None


@admin.register(Report)
class ReportAdmin(HistoryAdmin):
    form = ReportForm
    formfield_overrides = URL_OVERRIDES
    actions = ["extract_again"]
    list_display = ["title", "source", "published", "event_count", "created_at"]
    list_filter = ["source", ("published", admin.EmptyFieldListFilter), "language"]
    list_select_related = ["source"]
    search_fields = ["title", "url", "text"]
    date_hierarchy = "published"
    readonly_fields = ["content_hash", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["source", "title", "url", "language", "loaded_at"]}),
        ("Dates", {"fields": ["published", "published_note", "retrieved_at"]}),
        ("Text", {"fields": ["text", "content_hash", "created_at", "updated_at"]}),
    ]
    inlines = [ReportEvidenceInline]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(n_events=Count("evidence__event", distinct=True))
        )

    @admin.display(description="Events", ordering="n_events")
    def event_count(self, obj: Report) -> int:
        return obj.n_events

    def save_related(self, request, form, formsets, change) -> None:
        """Extraction runs when a report is saved, in the admin's transaction: if it fails,
        the report is not saved either."""
        super().save_related(request, form, formsets, change)
        if getattr(request, "atlas_proposing", False):
            return  # extraction runs when a reviewer accepts the change
        result = report_extract(form.instance)
        self.message_user(request, f"Extraction: candidate events {result}.", messages.INFO)

    @admin.action(description="Run extraction again on the selected reports")
    def extract_again(self, request, queryset):
        for report in queryset:
            result = report_extract(report)
            self.message_user(request, f"{report}: candidate events {result}.", messages.INFO)


# --------------------------------------------------------------------------- actors


class ActorForm(ConcurrentEditForm):
    aliases = NamesField(required=False, help_text=ALIASES_HELP)

    def clean(self):
        data = super().clean()
        aliases_clean(self, data)
        return data


@admin.register(Actor)
class ActorAdmin(HistoryAdmin):
    form = ActorForm
    list_display = ["name", "swatch", "kind", "parent", "country", "alias_list", "event_count"]
    list_filter = ["family", "kind", "country", ("parent", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "aliases"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(n_events=Count("events", distinct=True))
            .order_by("name")
        )

    def changelist_view(self, request, extra_context=None):
        # Every actor's family and shade, computed once for the page (events/families.py);
        # kept on the shared admin, which is harmless: every request computes the same.
        self.colours = actor_colours()
        return super().changelist_view(request, extra_context)

    @admin.display(description="Family")
    def swatch(self, obj: Actor) -> str:
        key, colour = getattr(self, "colours", {}).get(obj.pk, ("other", "#8c8c8c"))
        return format_html(
            '<span style="display:inline-block;width:1em;height:1em;border-radius:50%;'
            'vertical-align:middle;background:{}"></span> {}',
            colour,
            BY_KEY[key].label + ("" if obj.family else " (guessed)"),
        )

    @admin.display(description="Aliases")
    def alias_list(self, obj: Actor) -> str:
        return ", ".join(obj.aliases[:6]) + (" …" if len(obj.aliases) > 6 else "")

    @admin.display(description="Events", ordering="n_events")
    def event_count(self, obj: Actor) -> int:
        return obj.n_events


# --------------------------------------------------------------------------- places


class PlaceForm(ConcurrentEditForm):
    aliases = NamesField(required=False, help_text=ALIASES_HELP)

    def clean(self):
        data = super().clean()
        lat, lon = data.get("latitude"), data.get("longitude")
        if lat is not None and lon is not None and not in_region(lat, lon):
            raise forms.ValidationError(
                "These coordinates fall outside Syria and Iraq: check that latitude and "
                "longitude are not swapped."
            )
        saved = self.instance.aliases if self.instance.pk else []
        if aliases.added(saved, data.get("aliases") or []):
            # Compared where the place will be: its new point, its governorate (the one the
            # point lies in when the field is left empty, as save() fills it).
            point = (lat, lon) if lat is not None and lon is not None else None
            admin1 = data.get("admin1")
            admin1_id = admin1.pk if admin1 else (units_at(*point)[0] if point else None)
            aliases_clean(self, data, point=point, admin1_id=admin1_id)
        return data


class UnitListFilter(admin.SimpleListFilter):
    """Filter by governorate (or district): the units of the region, by name."""

    level = 1
    title = "governorate"
    parameter_name = "admin1"

    def lookups(self, request, model_admin):
        units = Place.objects.units(self.level).order_by("country", "name")
        return [(u.pk, f"{u.name} ({u.country})") for u in units.only("pk", "name", "country")]

    def queryset(self, request, queryset):
        if not self.value() or not self.value().isdigit():
            return queryset
        return queryset.filter(**{f"admin{self.level}": int(self.value())})


class DistrictListFilter(UnitListFilter):
    level = 2
    title = "district"
    parameter_name = "admin2"


@admin.register(Place)
class PlaceAdmin(HistoryAdmin):
    form = PlaceForm
    list_display = ["name", "name_ar", "kind", "admin1", "admin2", "country", "pcode"]
    list_filter = ["kind", "country", UnitListFilter, DistrictListFilter]
    list_select_related = ["admin1", "admin2"]
    search_fields = ["name", "name_ar", "slug", "aliases", "pcode"]
    readonly_fields = ["search_keys", "updated_at"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["admin1", "admin2", "admin3"]
    fieldsets = [
        (None, {"fields": ["name", "name_ar", "slug", "kind", "aliases", "loaded_at"]}),
        (
            "Location",
            {
                "fields": ["latitude", "longitude", "country", "admin1", "admin2", "admin3"],
                "description": "Drag the marker or type the coordinates. The governorate, "
                "district and subdistrict follow the point when left empty.",
            },
        ),
        ("Provenance", {"fields": ["source", "pcode", "geonames_id", "population", "outline"]}),
        ("Matching", {"fields": ["search_keys", "updated_at"], "classes": ["collapse"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("admin1")  # str() names it

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "latitude":
            kwargs["widget"] = PlaceMapWidget()
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        """Any spelling finds the place: also match the transliteration key of the search."""
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        key = place_key(search_term)
        if key:
            results |= queryset.filter(search_keys__contains=key)
        return results, may_have_duplicates


# --------------------------------------------------------------------------- events


class EventActorInline(admin.TabularInline):
    model = EventActor
    extra = 1
    autocomplete_fields = ["actor"]


class EventEvidenceInline(admin.StackedInline):
    model = Evidence
    fk_name = "event"
    extra = 0
    autocomplete_fields = ["report"]
    fields = ["report", "quote", "start", "end", "rules"]
    verbose_name_plural = "evidence (the sentences in each report that support this event)"


class ActorListFilter(admin.SimpleListFilter):
    """Filter by actor, including every unit within it (choosing an umbrella includes members)."""

    title = "actor (with its units)"
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        return [(a.pk, a.name) for a in Actor.objects.only("pk", "name")]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        actor = Actor.objects.filter(pk=self.value()).first()
        return queryset.involving(actor) if actor else queryset.none()


REJECTION_HELP = (
    "Why it is rejected, for the editors: required when the status is Rejected. Reopening the "
    "event clears it (its history keeps it)."
)


class EventForm(ConcurrentEditForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Editors correct and submit for review; only reviewers publish or reject. The choices
        # shown follow the rule, and `clean_status` enforces it whatever is posted.
        self.user = user
        if user is not None:
            current = self.instance.status if self.instance.pk else None
            self.fields["status"].choices = [
                (value, label)
                for value, label in self.fields["status"].choices
                if value == current or workflow.status_allowed(user, value, current)
            ]

        if "rejection_reason" in self.fields:  # reviewers; editors see it read-only
            self.fields["rejection_reason"].widget = forms.Textarea(attrs={"rows": 3, "cols": 60})
            self.fields["rejection_reason"].help_text = REJECTION_HELP

    def clean_status(self) -> str:
        status = self.cleaned_data["status"]
        current = self.instance.status if self.instance.pk else None
        allowed = self.user is None or workflow.status_allowed(self.user, status, current)
        if status != current and not allowed:
            raise forms.ValidationError("You may not give an event this status.")
        return status

    def clean(self):
        """A rejection needs its reason; reopening a rejected event clears it (the history
        keeps it); a reason on an event that is not rejected is a mistake to point out."""
        data = super().clean()
        status = data.get("status")
        if "rejection_reason" not in self.fields or status is None:
            return data
        current = self.instance.status if self.instance.pk else None
        saved = self.instance.rejection_reason.strip() if self.instance.pk else ""
        reason = (data.get("rejection_reason") or "").strip()
        if status == Event.Status.REJECTED:
            if not reason:
                self.add_error("rejection_reason", workflow.REASON_REQUIRED)
            data["rejection_reason"] = reason
        elif current == Event.Status.REJECTED:
            data["rejection_reason"] = ""
        elif reason and reason != saved:
            self.add_error(
                "rejection_reason",
                "Only a rejected event has a reason: choose the status Rejected, or leave this "
                "empty.",
            )
        return data


@admin.register(Event)
class EventAdmin(HistoryAdmin):
    form = EventForm
    list_display = [
        "when",
        "title",
        "event_type",
        "sub_event_type",
        "place",
        "governorate",
        "actor_list",
        "fatalities_best",
        "status_shown",
        "confidence",
    ]
    list_display_links = ["when", "title"]
    list_filter = [
        "status",
        "event_type",
        "sub_event_type",
        ActorListFilter,
        UnitListFilter,
        DistrictListFilter,
        ("date_start", admin.DateFieldListFilter),
        "date_precision",
        "location_precision",
        "dataset",
    ]
    list_select_related = ["place__admin1", "admin1"]
    search_fields = ["title", "description", "place__name", "evidence__quote"]
    date_hierarchy = "date_start"
    autocomplete_fields = ["place", "merged_into"]
    readonly_fields = [
        *["created_at", "updated_at", "edited_at", "place_map"],
        *["likely_duplicates", "merges", "rejected_by"],
    ]
    inlines = [EventActorInline, EventEvidenceInline]
    actions = ["submit_for_review", "publish", "reject", "merge_selected"]
    change_list_template = "admin/events/event/change_list.html"
    fieldsets = [
        (
            None,
            {
                "fields": [
                    *["title", "description", "event_type", "sub_event_type", "status"],
                    *["rejection_reason", "rejected_by", "loaded_at"],
                ]
            },
        ),
        ("When", {"fields": ["date_start", "date_end", "date_precision"]}),
        (
            "Where",
            {
                "fields": [
                    *["place", "location_precision", "own_coordinates", "latitude", "longitude"],
                    "place_map",
                ],
                "description": "Click a place on the map to make it the event's place; drag "
                "the marker to give the event coordinates of its own.",
            },
        ),
        ("Fatalities", {"fields": ["fatalities_best", "fatalities_low", "fatalities_high"]}),
        ("Duplicates and merges", {"fields": ["likely_duplicates", "merges"]}),
        (
            "Provenance",
            {
                "fields": [
                    *["confidence", "dataset", "import_ref", "source_text"],
                    *["created_at", "updated_at", "edited_at"],
                ],
                "classes": ["collapse"],
            },
        ),
    ]

    class Media:
        css = {"all": ["leaflet/leaflet.css", "events/place_map.css", "events/review.css"]}
        js = [
            "leaflet/leaflet.js",
            "vendor/topojson-client/topojson-client.min.js",
            forms.Script("events/event_map.js", type="module"),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)

        class FormWithUser(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return FormWithUser

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        roles = EventActor.objects.select_related("actor").order_by("role", "actor__name")
        return (
            super().get_queryset(request).prefetch_related(Prefetch("event_actors", queryset=roles))
        )

    def get_urls(self):
        return [*review.urls(self), *super().get_urls()]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not workflow.is_reviewer(request.user):
            fields.append("rejection_reason")  # a reviewer's words, read by the editors
        return fields

    def get_fieldsets(self, request, obj=None):
        """The rejection's rows only where they say something: who rejected it on a rejected
        event; the reason there, and for reviewers (who may reject from this form)."""
        rejected = obj is not None and obj.status == Event.Status.REJECTED
        hidden = set() if rejected else {"rejected_by"}
        if not rejected and not workflow.is_reviewer(request.user):
            hidden.add("rejection_reason")
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in hidden]})
            for name, options in super().get_fieldsets(request, obj)
        ]

    # ----------------------------------------------------------------- list columns

    @admin.display(description="Date", ordering="date_start")
    def when(self, obj: Event) -> str:
        """One day as a date; a window as its bounds and what the precision code means."""
        if obj.date_start == obj.date_end:
            return f"{obj.date_start:%Y-%m-%d}"
        end = f"{obj.date_end:%m-%d}" if obj.date_end.year == obj.date_start.year else obj.date_end
        precision = DatePrecision(obj.date_precision).label.split("·")[-1].strip()
        return f"{obj.date_start:%Y-%m-%d} → {end} ({precision})"

    @admin.display(description="Governorate", ordering="admin1__name")
    def governorate(self, obj: Event) -> str:
        return obj.admin1.name if obj.admin1_id else ""

    @admin.display(description="Status", ordering="status")
    def status_shown(self, obj: Event) -> str:
        """The status; a rejected event's reason under it (the start of it, whole on hover)."""
        if obj.status != Event.Status.REJECTED or not obj.rejection_reason:
            return obj.get_status_display()
        return format_html(
            '{}<br><small class="atlas-why" title="{}">Why: {}</small>',
            obj.get_status_display(),
            obj.rejection_reason,
            Truncator(obj.rejection_reason).chars(80),
        )

    @admin.display(description="Actors")
    def actor_list(self, obj: Event) -> str:
        return format_html_join(
            ", ",
            '<span title="{}">{}</span>',
            ((ea.get_role_display(), ea.actor.name) for ea in obj.event_actors.all()),
        )

    # ----------------------------------------------------------------- change form

    @admin.display(description="Map")
    def place_map(self, obj: Event | None) -> str:
        return review.place_map_html(obj)

    @admin.display(description="Likely duplicates")
    def likely_duplicates(self, obj: Event | None) -> str:
        if obj is None or obj.pk is None or obj.status == Event.Status.MERGED:
            return "—"
        return review.duplicates_html(obj, duplicates_find(obj))

    @admin.display(description="Merges")
    def merges(self, obj: Event | None) -> str:
        return review.merges_html(obj) if obj is not None and obj.pk else "—"

    @admin.display(description="Rejected")
    def rejected_by(self, obj: Event | None) -> str:
        """Who rejected it and when, from its history (a few rows); "—" unless rejected."""
        if obj is None or obj.status != Event.Status.REJECTED:
            return "—"
        version = workflow.rejection_version(obj)
        if version is None:
            return "(not recorded in its history)"
        when = timezone.localtime(version.revision.date_created)
        who = version.revision.user or "someone (before its history was recorded)"
        return f"by {who} on {when:%Y-%m-%d %H:%M}"

    def save_model(self, request, obj: Event, form, change) -> None:
        obj.edited_at = timezone.now()  # re-extraction leaves an edited event alone
        if obj.status == Event.Status.REJECTED and {"status", "rejection_reason"} & set(
            form.changed_data
        ):
            request.atlas_rejection = obj.rejection_reason  # for the revision's comment
        super().save_model(request, obj, form, change)

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        reason = getattr(request, "atlas_rejection", None)
        if entry is not None and reason:
            history.comment_set(f"{entry.get_change_message()} Why rejected: {reason}")
        return entry

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        reason = getattr(request, "atlas_rejection", None)
        if reason:
            history.comment_set(f"{entry.get_change_message()} Why rejected: {reason}")
        return entry

    def revert_adjust(self, request, obj: Event) -> None:
        if obj.status in workflow.REVIEWER_ONLY and not workflow.is_reviewer(request.user):
            obj.status = Event.Status.IN_REVIEW
        if obj.status == Event.Status.MERGED and obj.merged_into_id is None:
            obj.status = Event.Status.IN_REVIEW
        if obj.status not in (Event.Status.REJECTED, Event.Status.MERGED):
            obj.rejection_reason = ""  # a reason holds only while the event is rejected

    def response_change(self, request, obj):
        """Back to the review queue when the editor came from it."""
        target = request.GET.get("next", "")
        if "_continue" not in request.POST and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}
        ):
            super().response_change(request, obj)  # its success message
            return HttpResponseRedirect(target)
        return super().response_change(request, obj)

    # ----------------------------------------------------------------- actions

    def _set_status(self, request, queryset, status: str, verb: str, reason: str = "") -> None:
        try:
            count = workflow.event_status_set(queryset, status, request.user, reason=reason)
        except PermissionDenied as error:
            self.message_user(request, str(error), messages.ERROR)
            return
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        self.message_user(request, f"{verb} {count} event(s).", messages.SUCCESS)

    @admin.action(description="Submit selected events for review")
    def submit_for_review(self, request, queryset):
        self._set_status(request, queryset, Event.Status.IN_REVIEW, "Submitted")

    @admin.action(description="Publish selected events", permissions=["publish"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Event.Status.PUBLISHED, "Published")

    @admin.action(description="Reject selected events (asks why)", permissions=["publish"])
    def reject(self, request, queryset):
        return review.reject_selected(self, request, queryset)

    @admin.action(description="Merge selected events into one", permissions=["change"])
    def merge_selected(self, request, queryset):
        return review.merge_selected(self, request, queryset)

    def has_publish_permission(self, request) -> bool:
        return workflow.is_reviewer(request.user)


# --------------------------------------------------------------------------- proposed changes


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """Every proposed change, read-only: the review queue accepts and declines them."""

    list_display = ["created_at", "target_link", "summary", "author", "status", "reviewer"]
    list_display += ["reason"]
    list_filter = ["status", "content_type", ("author", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["author", "reviewer", "content_type"]
    search_fields = ["summary", "reason", "author__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="Changes to", ordering="content_type")
    def target_link(self, obj: Proposal) -> str:
        url = reverse(f"admin:events_{obj.content_type.model}_change", args=[obj.object_id])
        return format_html('<a href="{}">{} #{}</a>', url, obj.content_type.name, obj.object_id)
