"""Settings fail loudly: no production start without a real SECRET_KEY, no guessed booleans."""

import os
import subprocess
import sys

from django.conf import settings
from django.db import connection
from django.test import SimpleTestCase


def start_django(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        env=clean | {"DJANGO_SETTINGS_MODULE": "atlas.settings", "ATLAS_ENV_FILE": ""} | env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )


class SettingsTests(SimpleTestCase):
    def test_production_refuses_to_start_without_a_secret_key(self):
        result = start_django(DEBUG="false")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY must be set", result.stderr)

    def test_production_refuses_a_short_secret_key(self):
        result = start_django(DEBUG="false", SECRET_KEY="short")
        self.assertIn("at least 32 characters", result.stderr)

    def test_production_starts_with_a_real_secret_key(self):
        result = start_django(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="atlas.example")
        self.assertEqual(result.stdout.strip(), "started", result.stderr)

    def test_it_refuses_a_debug_value_it_cannot_read(self):
        result = start_django(DEBUG="maybe")
        self.assertIn("DEBUG must be true or false", result.stderr)

    def test_it_refuses_a_database_other_than_sqlite_or_postgresql(self):
        result = start_django(DEBUG="true", DATABASE_URL="mysql://root@127.0.0.1/atlas")
        self.assertIn("SQLite or PostgreSQL", result.stderr)


class DatabaseTests(SimpleTestCase):
    def test_the_suite_runs_on_the_database_database_url_names(self):
        url = os.environ.get("DATABASE_URL", "")
        expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
        self.assertEqual(connection.vendor, expected)
