"""Atlas run the production way: security headers, login throttling, who may log in, the
deployment check with the README's environment, and gunicorn serving static files and logging
server errors."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.test import SimpleTestCase, override_settings

from tests.base import AtlasTestCase

BASE = Path(settings.BASE_DIR)
GUNICORN = Path(sys.executable).parent / "gunicorn"


def readme_production_environment() -> dict[str, str]:
    """The KEY=value lines of the README's `# production environment` block."""
    text = (BASE / "README.md").read_text()
    block = re.search(r"```sh\n# production environment\n(.*?)```", text, re.S)
    assert block, "README.md has no '# production environment' block"
    return dict(line.split("=", 1) for line in block.group(1).splitlines() if "=" in line)


def clean_env(**extra: str) -> dict[str, str]:
    """A new shell: no .env, nothing of this process's environment but PATH and HOME."""
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/root"),
        "ATLAS_ENV_FILE": "",
    } | extra


class SecurityHeaderTests(AtlasTestCase):
    def assert_strict_csp(self, response) -> None:
        policy = response.headers.get("Content-Security-Policy", "")
        directives = dict(
            (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
        )
        self.assertEqual(directives.get("default-src"), ["'self'"], policy)
        self.assertEqual(directives.get("script-src"), ["'self'"], policy)
        self.assertEqual(directives.get("object-src"), ["'none'"], policy)
        self.assertEqual(directives.get("frame-ancestors"), ["'none'"], policy)
        self.assertNotIn("unsafe-inline", " ".join(directives.get("script-src", [])))
        self.assertNotIn("unsafe-eval", policy)

    def test_it_sends_a_strict_content_security_policy_on_every_kind_of_response(self):
        event = self.make_event()
        for path in [
            "/",
            "/api/events",
            "/api/events?format=compact",
            "/api/nothing",
            "/admin/login/",
        ]:
            with self.subTest(path=path):
                self.assert_strict_csp(self.client.get(path))
        self.client.force_login(self.editor)
        for path in [
            "/admin/",
            f"/admin/events/event/{event.pk}/change/",
            f"/admin/events/place/{event.place_id}/change/",
            "/admin/events/event/review/",
        ]:
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assert_strict_csp(response)

    def test_pages_hold_no_inline_script(self):
        event = self.make_event()
        self.client.force_login(self.admin)
        for path in ["/", "/admin/", f"/admin/events/event/{event.pk}/change/"]:
            with self.subTest(path=path):
                html = self.client.get(path).content.decode()
                for attrs, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.S):
                    if 'type="application/json"' in attrs:  # json_script: data, not code
                        continue
                    self.assertFalse(body.strip(), f"inline script on {path}: {body[:80]}")
                self.assertNotRegex(html, r"\son[a-z]+\s*=", f"inline handler on {path}")


class LoginTests(AtlasTestCase):
    def login(self, username: str, password: str):
        return self.client.post(
            "/admin/login/?next=/admin/", {"username": username, "password": password}
        )

    def test_wrong_passwords_lock_the_account_out_even_for_the_right_one(self):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            self.assertEqual(self.login("edith", "wrong-password").status_code, 200)
        self.assertEqual(self.login("edith", "wrong-password").status_code, 429)
        response = self.login("edith", "pw-123-secret")
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "Too many failed logins", status_code=429)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_a_right_password_before_the_limit_logs_in_and_clears_the_count(self):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            self.login("edith", "wrong-password")
        self.assertRedirects(self.login("edith", "pw-123-secret"), "/admin/")
        self.client.logout()
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            self.login("edith", "wrong-password")
        self.assertRedirects(self.login("edith", "pw-123-secret"), "/admin/")

    def test_staff_status_follows_the_editor_and_reviewer_groups(self):
        for group in ("editor", "reviewer"):
            with self.subTest(group=group):
                user = User.objects.create_user(f"new-{group}", password="pw-123-secret")
                self.assertFalse(user.is_staff)
                user.groups.add(Group.objects.get(name=group))
                self.assertRedirects(self.login(user.username, "pw-123-secret"), "/admin/")
                self.assertEqual(self.client.get("/admin/events/event/").status_code, 200)
                self.client.logout()

    def test_someone_in_no_editors_group_cannot_log_in(self):
        User.objects.create_user("reader", password="pw-123-secret")
        response = self.login("reader", "pw-123-secret")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Please enter the correct username and password")
        self.assertRedirects(self.client.get("/admin/"), "/admin/login/?next=/admin/")


class DeploymentCheckTests(SimpleTestCase):
    def test_check_deploy_with_the_readme_production_environment_prints_no_warning(self):
        env = readme_production_environment()
        self.assertEqual(env["DEBUG"], "false")
        env["SECRET_KEY"] = secrets.token_urlsafe(50)  # the README shows a placeholder
        result = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy"],
            cwd=BASE,
            env=clean_env(**env),
            capture_output=True,
            text=True,
            check=False,
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            result.stdout.strip(), "System check identified no issues (0 silenced).", result.stderr
        )
        self.assertNotIn("WARNINGS", result.stderr)

    def test_a_configuration_error_is_one_line(self):
        result = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=BASE,
            env=clean_env(DEBUG="false"),
            capture_output=True,
            text=True,
            check=False,
        )
        self.assertEqual(result.returncode, 1)
        self.assertEqual(len(result.stderr.strip().splitlines()), 1, result.stderr)
        self.assertIn("SECRET_KEY must be set", result.stderr)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@override_settings()
class ProductionServerTests(SimpleTestCase):
    """gunicorn with DEBUG off, as `make serve` runs it, on a database with no tables: the
    static files are served, and the resulting server error leaves its traceback."""

    def test_gunicorn_serves_static_files_and_logs_server_errors_with_a_traceback(self):
        with tempfile.TemporaryDirectory() as tmp:
            env = clean_env(
                DEBUG="false",
                SECRET_KEY=secrets.token_urlsafe(50),
                ALLOWED_HOSTS="127.0.0.1",
                SECURE_SSL_REDIRECT="false",
                SECURE_HSTS_SECONDS="0",
                SECURE_COOKIES="false",
                STATIC_ROOT=f"{tmp}/static",
                SQLITE_PATH=f"{tmp}/empty.sqlite3",
            )
            subprocess.run(
                [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
                cwd=BASE,
                env=env,
                check=True,
            )
            port = free_port()
            log = open(f"{tmp}/server.log", "w+")  # noqa: SIM115 (closed below)
            server = subprocess.Popen(
                [str(GUNICORN), "atlas.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                cwd=BASE,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            try:
                base = f"http://127.0.0.1:{port}"
                for _ in range(300):  # up to 30 s on a busy machine
                    try:
                        urllib.request.urlopen(base + "/static/atlas/map.css", timeout=2)
                        break
                    except (urllib.error.URLError, ConnectionError):
                        time.sleep(0.1)
                for path in ["/static/atlas/js/main.js", "/static/leaflet/leaflet.js"]:
                    with urllib.request.urlopen(base + path, timeout=5) as response:
                        self.assertEqual(response.status, 200, path)
                        self.assertIn("max-age", response.headers["Cache-Control"])
                with self.assertRaises(urllib.error.HTTPError) as caught:
                    urllib.request.urlopen(base + "/api/events", timeout=5)
                self.assertEqual(caught.exception.code, 500)
            finally:
                server.send_signal(signal.SIGTERM)
                server.wait(timeout=20)
                log.seek(0)
                output = log.read()
                log.close()
            self.assertIn("Internal Server Error: /api/events", output)
            self.assertIn("Traceback (most recent call last)", output)
            self.assertIn("no such table", output)
