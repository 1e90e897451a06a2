"""`manage.py benchmark --events 100000`: speed figures on a throwaway copy of the schema.

The parent process creates a new database (a temporary SQLite file, or a new PostgreSQL
database on the configured server), runs the measurements in a child process pointed at it,
and drops it afterwards. The real database only answers the CREATE and DROP.
"""

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "Time the map's API and page with N synthetic events in a throwaway database."

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=100000)
        parser.add_argument(
            "--chromium", default=os.environ.get("ATLAS_CHROMIUM", "/usr/bin/chromium")
        )
        parser.add_argument(
            "--import-rows",
            default="10000,100000",
            help="Sizes of the synthetic ACLED files import_acled is timed on, comma-separated "
            "('' for none; 100,000 rows is a file of about 50 MB and takes minutes).",
        )
        parser.add_argument("--inner", action="store_true", help="(internal) measure here")

    def handle(self, *args, events: int, chromium: str, inner: bool, import_rows: str, **o):
        if events < 1:
            raise CommandError("--events must be at least 1")
        try:
            sizes = [int(n) for n in import_rows.replace(" ", "").split(",") if n]
        except ValueError:
            raise CommandError("--import-rows: numbers, comma-separated") from None
        if inner:
            from events.benchmark import benchmark_run

            if not benchmark_run(
                count=events, chromium=chromium, stdout=self.stdout, import_rows=sizes
            ):
                self.stdout.write(self.style.WARNING("Some targets were missed."))
            return
        env = os.environ | {
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            # Production settings, served over plain HTTP on this machine (as `make serve`).
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_COOKIES": "false",
        }
        engine = settings.DATABASES["default"]["ENGINE"]
        label = "PostgreSQL" if "postgresql" in engine else "SQLite"
        self.stdout.write(f"Benchmark on {label}, {events} events, in a throwaway database")
        command = [sys.executable, "manage.py", "benchmark", "--inner", f"--events={events}"]
        command += [f"--chromium={chromium}", f"--import-rows={import_rows}"]
        if "sqlite" in engine:
            with tempfile.TemporaryDirectory() as tmp:
                env.pop("DATABASE_URL", None)
                env["SQLITE_PATH"] = str(Path(tmp) / "benchmark.sqlite3")
                self.run_child(command, env)
            return
        name = f"atlas_benchmark_{os.getpid()}"
        db = settings.DATABASES["default"]
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        try:
            auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
            port = db.get("PORT") or 5432
            env["DATABASE_URL"] = f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{port}/{name}"
            self.run_child(command, env)
        finally:
            connection.close()
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def run_child(self, command: list[str], env: dict) -> None:
        result = subprocess.run(command, env=env, cwd=settings.BASE_DIR, check=False)
        if result.returncode:
            raise CommandError(f"the benchmark failed (exit {result.returncode})")
