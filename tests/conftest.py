"""Suite-wide rules: in CI a skipped test is a failure (something the suite needs was missing)."""

import os

import pytest


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


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The built gazetteer (16,000 places), loaded once into the test database: TestCase
    classes share it (each rolls back its own changes); live-server tests, which empty the
    tables, load it again in bulk (tests/base.py, GazetteerFixture)."""
    from events.gazetteer.load import gazetteer_load

    with django_db_blocker.unblock():
        gazetteer_load()


@pytest.fixture(autouse=True)
def fresh_indexes():
    """Each test starts with the in-memory indexes checking their tables at first use: the
    previous test's rows were rolled back (or flushed), which sends no signal."""
    from events.table_index import indexes_invalidate

    indexes_invalidate()
    yield
