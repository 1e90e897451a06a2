"""The editors' side: the admin, the review queue, the workflow (who may move an event where),
proposed changes, history with revert, and likely duplicates."""
