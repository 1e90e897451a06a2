from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the background worker of the configured task queue (ATLAS_TASKS): django-tasks' "
        "database worker by default, RQ's on Redis with ATLAS_TASKS=rq. It imports the files "
        "editors upload in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Run the jobs waiting now, then stop."
        )

    def handle(self, *args, batch: bool, **options):
        verbosity = options["verbosity"]
        if settings.ATLAS_TASKS == "rq":
            # RQ runs django-tasks' jobs through the backend's own job class.
            job_class = "django_tasks_rq.backend.Job"
            call_command(
                "rqworker", "default", burst=batch, job_class=job_class, verbosity=verbosity
            )
        else:
            call_command("db_worker", batch=batch, reload=False, verbosity=verbosity)
