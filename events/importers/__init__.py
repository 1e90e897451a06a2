"""Data in and out in bulk: UCDP and ACLED files, and backups of the whole database."""
