"""Suite-wide rules: in CI a skipped test is a failure (something the suite needs was missing)."""

import os


def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") and skipped:
        reporter.write_line(
            f"CI: {len(skipped)} test(s) skipped; in CI that is a failure.", red=True
        )
        session.exitstatus = 1


def pytest_configure(config):
    # The SQLite test database is a file under var/ (atlas/settings.py: real connections);
    from pathlib import Path

    # WhiteNoise looks for STATIC_ROOT (var/static) even when it serves the source folders.
    (Path(__file__).resolve().parent.parent / "var" / "static").mkdir(parents=True, exist_ok=True)
