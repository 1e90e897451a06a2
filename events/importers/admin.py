"""Dataset uploads in the admin: an editor picks an ACLED or UCDP file, the task queue imports
it (events/importers/jobs.py), the job's page shows its progress and then its report."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html

from events.curation.workflow import is_reviewer
from events.importers.jobs import job_enqueue
from events.models import Event, ImportJob

MAX_UPLOAD_MB = 200


class UploadForm(forms.ModelForm):
    class Meta:
        model = ImportJob
        fields = ["kind", "file", "event_status"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # A rejection takes a reason per decision (events/curation/workflow.py): a file's
        # events are never rejected wholesale on upload.
        field = self.fields["event_status"]
        field.choices = [c for c in field.choices if c[0] != Event.Status.REJECTED]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"Larger than {MAX_UPLOAD_MB} MB: run import_acled or "
                                        "import_ucdp on the server instead.")  # fmt: skip
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("A CSV file (.csv), as ACLED and UCDP export them.")
        return upload

    def clean_event_status(self):
        status = self.cleaned_data["event_status"]
        if status == Event.Status.PUBLISHED and not is_reviewer(self.user):
            raise forms.ValidationError("Only a reviewer may publish a file's events at once.")
        if status == Event.Status.REJECTED:
            raise forms.ValidationError("Import them for review, then reject them with a reason.")
        return status


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ["__str__", "state", "progress", "created", "updated", "failed",
                    "created_by", "created_at"]  # fmt: skip
    list_filter = ["state", "kind"]
    shown = ["kind", "file_name", "event_status", "state", "progress", "counts", "report_text",
             "created_by", "created_at", "started_at", "finished_at"]  # fmt: skip

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            form = UploadForm

            class Bound(form):
                def __init__(self, *args, **kw):
                    super().__init__(*args, user=request.user, **kw)

            return Bound
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        return ["kind", "file", "event_status"] if obj is None else self.shown

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.shown

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a job is read, never edited: upload the file again to import it again

    def has_delete_permission(self, request, obj=None) -> bool:
        return request.user.is_superuser

    def save_model(self, request, obj, form, change) -> None:
        obj.created_by = request.user
        obj.file_name = Path(form.cleaned_data["file"].name).name[:255]
        super().save_model(request, obj, form, change)
        transaction.on_commit(lambda: job_enqueue(obj))

    @admin.display(description="Progress")
    def progress(self, obj: ImportJob) -> str:
        total = max(obj.rows_total, obj.rows_done, 1)
        return format_html(
            '<progress value="{}" max="{}"></progress> {} of about {} rows',
            obj.rows_done, total, obj.rows_done, obj.rows_total,
        )  # fmt: skip

    @admin.display(description="Events")
    def counts(self, obj: ImportJob) -> str:
        return (
            f"{obj.created} created, {obj.updated} updated, {obj.unchanged} unchanged, "
            f"{obj.kept} kept as edited, {obj.failed} rows failed"
        )

    @admin.display(description="Report")
    def report_text(self, obj: ImportJob) -> str:
        return format_html("<pre>{}</pre>", obj.report or "—")
