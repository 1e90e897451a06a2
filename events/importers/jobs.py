"""Imports uploaded in the admin, run by the task queue (django-tasks: a queue kept in the
database by default, Redis with ATLAS_TASKS=rq; atlas/settings.py) through the same
file_import as the commands. The job row says how far it got and, at the end, what it did."""

from __future__ import annotations

from pathlib import Path

from django.utils import timezone
from django_tasks import task

from events.importers.datasets import FileError
from events.importers.files import file_import, file_lines
from events.models import ImportJob

ERRORS_KEPT = 1000  # error lines a job's report keeps (the counts are always whole)
PROGRESS_EVERY = 100  # rows between two progress writes: one batch


def job_enqueue(job: ImportJob) -> None:
    """Put the job on the queue (call once its row is committed: the worker reads it)."""
    import_job_run.enqueue(job.pk)


@task()
def import_job_run(job_id: int) -> str:
    """Import the job's file; its state, progress and report are written as it goes. A job
    already done is not run again (a queue may deliver twice)."""
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "not queued"
    job = ImportJob.objects.get(pk=job_id)
    path = Path(job.file.path)
    ImportJob.objects.filter(pk=job_id).update(rows_total=file_lines(path))

    def progress(rows):
        for n, row in enumerate(rows, start=1):
            if n % PROGRESS_EVERY == 0:
                ImportJob.objects.filter(pk=job_id).update(rows_done=n)
            yield row

    try:
        result = file_import(
            path,
            job.kind,
            status=job.event_status,
            user=job.created_by,
            comment=f"Uploaded in the admin: {job.file_name}",
            progress=progress,
        )
    except (FileError, OSError) as error:
        _failed(job_id, f"{job.file_name}: {error}")
        return "failed"
    except Exception as error:  # the worker logs it; the editor sees the job failed, not running
        _failed(
            job_id,
            f"{job.file_name}: the import stopped ({type(error).__name__}); the "
            "batches written before stay, and uploading the file again finishes it",
        )
        raise
    lines = [result.summary()]
    lines += [f"line {line}: {message}" for line, message in result.errors[:ERRORS_KEPT]]
    if len(result.errors) > ERRORS_KEPT:
        lines.append(f"... and {len(result.errors) - ERRORS_KEPT} more bad rows")
    lines += [f"line {line}: warning: {message}" for line, message in result.warnings[:100]]
    ImportJob.objects.filter(pk=job_id).update(
        state=ImportJob.State.DONE,
        rows_done=result.rows,
        rows_total=result.rows,
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        kept=result.kept,
        failed=result.failed,
        report="\n".join(lines),
        finished_at=timezone.now(),
    )
    return "done"


def _failed(job_id: int, report: str) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        state=ImportJob.State.FAILED, report=report, finished_at=timezone.now()
    )
