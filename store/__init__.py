"""Answer files parsed, stored in SQLite and searched. Knows nothing of Slack."""
