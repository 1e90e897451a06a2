"""Re-create the README's screenshots (docs/screenshots/*.png) from a running Atlas.

Run it against a server holding the shipped data (what `make run` loads), with an admin login
for the editors' view:

    .venv/bin/python docs/screenshots.py http://127.0.0.1:8000 USER PASSWORD

It drives Debian's Chromium (ATLAS_CHROMIUM or /usr/bin/chromium) through Playwright.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("ATLAS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def ready(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60000)
    page.wait_for_timeout(600)  # the basemap's labels and the list settle


def main(base: str, user: str, password: str) -> None:
    OUT.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        year = "&start=2020-01-01&end=2020-12-31"
        # The map as it opens: groups with counts at low zoom, the legend of what is on
        # screen, the list, the timeline with its axes.
        ready(page, base + "/")
        page.screenshot(path=OUT / "map.png")
        # Zoomed in on Deir ez-Zor, markers sized by deaths, an event selected.
        ready(page, base + "/?map=35.2000,40.3000,9&size=deaths&governorate=SY09" + year)
        first = page.locator("#event-list [role=option]").first
        first.click()
        page.wait_for_selector("#details:not([hidden]) h2")
        page.wait_for_timeout(700)
        page.screenshot(path=OUT / "selected.png")
        # The trends: events per month stacked by actor family, for 2020.
        ready(page, base + "/?trends=events.month.family.bars&start=2020-01-01&end=2020-12-31")
        page.screenshot(path=OUT / "trends.png")
        # Deaths per governorate, small multiples.
        ready(page, base + "/?trends=deaths.month.governorate.multiples" + year)
        page.screenshot(path=OUT / "trends-multiples.png")
        # The About page.
        page.goto(base + "/about/")
        page.screenshot(path=OUT / "about.png")
        # A phone: the list as a sheet.
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        ready(phone, base + "/")
        phone.locator("#toggle-list").click()
        phone.wait_for_timeout(400)
        phone.screenshot(path=OUT / "phone-list.png")
        # The editors' admin home with the review queue.
        page.goto(base + "/admin/login/?next=/admin/")
        page.fill("#id_username", user)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_url(base + "/admin/")
        page.screenshot(path=OUT / "admin-home.png")
        browser.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:4])
