#!/usr/bin/env python
"""Django's command-line utility for Atlas."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atlas.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:
        # A setting that is missing or does not parse: one line that says which, no traceback.
        sys.exit(f"Atlas is not configured: {error}")


if __name__ == "__main__":
    main()
