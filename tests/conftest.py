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
