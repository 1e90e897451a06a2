"""The base for browser tests: a live server and Debian's Chromium driven by Playwright.

Playwright cannot download a browser here, so the tests launch /usr/bin/chromium (or
ATLAS_CHROMIUM). A missing browser is an error, never a skip: CI must not pass by skipping.
"""

from __future__ import annotations

import base64
import os
import shutil
from urllib.parse import urlparse

# Playwright's sync API runs an event loop in this thread; Django must allow the ORM here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from django.contrib.staticfiles.testing import StaticLiveServerTestCase
from django.core.management import call_command
from playwright.sync_api import Page, sync_playwright

from tests.base import GazetteerFixture

CHROMIUM = os.environ.get("ATLAS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Counts the pixels of a PNG (base64) within `tolerance` of an RGB colour, in the page itself.
COUNT_PIXELS = """
async ([png, rgb, tolerance]) => {
  const blob = await (await fetch(`data:image/png;base64,${png}`)).blob();
  const bitmap = await createImageBitmap(blob);
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  let n = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.abs(data[i] - rgb[0]) <= tolerance && Math.abs(data[i + 1] - rgb[1]) <= tolerance
        && Math.abs(data[i + 2] - rgb[2]) <= tolerance) n++;
  }
  return n;
}
"""


class BrowserTestCase(GazetteerFixture, StaticLiveServerTestCase):
    host = "127.0.0.1"
    # A class whose tests only read may load its fixtures (and setUpSharedData's rows) once,
    # before its first test, and empty the tables once, after its last: the gazetteer and the
    # seed take seconds to load, each time. Its tests must leave the data as they found it.
    shared_fixtures = False

    @classmethod
    def setUpSharedData(cls) -> None:
        """Rows the whole class reads (with shared_fixtures), made once after the fixtures."""

    @classmethod
    def _fixture_setup(cls) -> None:
        if cls.shared_fixtures and getattr(cls, "_shared_loaded", False):
            return
        super()._fixture_setup()
        if cls.shared_fixtures:
            cls._shared_loaded = True
            cls.setUpSharedData()

    def _fixture_teardown(self) -> None:
        if not self.shared_fixtures:
            super()._fixture_teardown()

    @classmethod
    def setUpClass(cls):
        cls._shared_loaded = False
        super().setUpClass()
        if not os.path.exists(CHROMIUM):
            raise RuntimeError(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
        cls.playwright = sync_playwright().start()
        cls.browser = cls.playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        # Pixels are counted in a blank page: Atlas's own pages forbid fetching data: URLs (CSP).
        cls.scratch = cls.browser.new_page()

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        cls.playwright.stop()
        if cls.shared_fixtures and cls._shared_loaded:
            for database in cls._databases_names(include_mirrors=False):
                call_command("flush", verbosity=0, interactive=False, database=database)
        super().tearDownClass()

    def open_page(self, path: str = "/", width: int = 1280, height: int = 860) -> Page:
        """A fresh page that records console errors and every request leaving localhost."""
        page = self.browser.new_page(viewport={"width": width, "height": height})
        self.console_errors: list[str] = []
        self.outside_requests: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))

        def watch(request):
            host = urlparse(request.url).hostname
            if request.url.startswith("http") and host not in ("127.0.0.1", "localhost"):
                self.outside_requests.append(request.url)

        page.on("request", watch)
        self.addCleanup(page.close)
        self.goto(page, path)
        return page

    def open_admin_page(self, user, path: str) -> Page:
        """An admin page, logged in as `user` (the test client's session, as a cookie)."""
        self.client.force_login(user)
        page = self.browser.new_page(viewport={"width": 1280, "height": 900})
        self.console_errors = []
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": self.client.cookies["sessionid"].value,
                    "url": self.live_server_url,
                }
            ]
        )
        self.addCleanup(page.close)
        page.goto(self.live_server_url + path)
        page.wait_for_load_state("load")
        return page

    def goto(self, page: Page, path: str) -> None:
        page.goto(self.live_server_url + path)
        try:
            page.wait_for_selector("body[data-ready=true]", state="attached", timeout=20000)
        except Exception as error:  # say why the page never became ready
            errors = getattr(self, "console_errors", [])
            raise AssertionError(f"{path} never became ready; console errors: {errors}") from error

    def pixels(self, page: Page, rgb: tuple[int, int, int], tolerance: int = 12) -> int:
        """How many pixels of the map, as a screenshot shows it, have this colour."""
        png = base64.b64encode(page.locator("#map").screenshot()).decode()
        return self.scratch.evaluate(COUNT_PIXELS, [png, list(rgb), tolerance])
