"""Every `manage.py` command the README shows runs as written, in a new shell, on a checkout
set up by `make run`: the test gives each the tiny input files it names (a report, a JSON
Lines batch, a UCDP and an ACLED file) in a scratch folder that holds `manage.py` and `.venv`,
on a scratch database of the kind the suite runs on, and requires a clean exit."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import SimpleTestCase

from tests.test_imports import ACLED_UPPER, FULL_UCDP_HEADER, full_ucdp_row

BASE = Path(settings.BASE_DIR)
# The one example that measures for minutes runs on tiny input (its own figures are real).
# The benchmark as a smoke test: a few events and a small import instead of minutes of them.
TINY = {"--events 100000": "--events 200 --import-rows 300"}
REPORT = (
    "URL: https://example.org/readme\nTITLE: ISIS attack in Hajin\nSOURCE: Test outlet\n"
    "PUBLISHED: 2024-03-08\n\nOn Monday ISIS fighters attacked an SDF post in Hajin, killing "
    "two, local sources said.\n"
)


def readme_commands() -> list[str]:
    """Each line of the README's sh blocks, and each inline `code`, that runs manage.py."""
    text = (BASE / "README.md").read_text()
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        commands += [line for line in block.splitlines() if "manage.py" in line]
    outside = re.sub(r"```.*?```", "", text, flags=re.S)
    commands += [span for span in re.findall(r"`([^`\n]+)`", outside) if "manage.py" in span]
    return list(dict.fromkeys(commands))


class ReadmeCommandTests(SimpleTestCase):
    databases = {"default"}

    def setUp(self):
        self.folder = Path(tempfile.mkdtemp())
        for name in (".venv", "manage.py", "fixtures"):
            (self.folder / name).symlink_to(BASE / name)
        (self.folder / "reports").mkdir()
        (self.folder / "reports" / "one.txt").write_text(REPORT)
        (self.folder / "report.txt").write_text(REPORT.replace("readme", "readme-stdin"))
        (self.folder / "batch.jsonl").write_text(
            '{"title": "One", "published": "2024-01-02", "text": "Yesterday SDF fighters '
            'clashed with ISIS cells in Hajin."}\n'
        )
        (self.folder / "ged.csv").write_text(FULL_UCDP_HEADER + "\n" + full_ucdp_row())
        (self.folder / "acled.csv").write_text(ACLED_UPPER)
        self.env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", "/root"),
            **self.scratch_database(),
        }
        self.run_here(".venv/bin/python manage.py migrate --no-input")
        self.run_here(".venv/bin/python manage.py load_fixtures --without-ucdp")

    def scratch_database(self) -> dict[str, str]:
        """A new, empty database of the suite's kind, dropped after the test."""
        if connection.vendor == "sqlite":
            return {"SQLITE_PATH": str(self.folder / "readme.sqlite3")}
        name = f"atlas_readme_{uuid.uuid4().hex[:8]}"
        db = connection.settings_dict
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        self.addCleanup(drop)
        auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
        return {"DATABASE_URL": f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{name}"}

    def run_here(self, command: str) -> str:
        result = subprocess.run(
            ["bash", "-c", command],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        output = result.stdout + result.stderr
        self.assertEqual(result.returncode, 0, f"{command}\n{output[-3000:]}")
        self.assertNotIn("Traceback", output, command)
        return output

    def test_every_manage_py_command_in_the_readme_runs_as_written(self):
        commands = readme_commands()
        self.assertGreaterEqual(len(commands), 15, commands)
        for command in commands:
            for heavy, tiny in TINY.items():
                command = command.replace(heavy, tiny)
            with self.subTest(command=command):
                self.run_here(command)
        self.assertTrue((self.folder / "isis.csv").exists())
        self.assertTrue((self.folder / "var" / "backups" / "atlas.json.gz").exists())
