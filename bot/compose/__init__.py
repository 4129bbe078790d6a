"""What pqbot says: pure functions from commands, search results and records to Block Kit
messages, with all text from answer files escaped here. Nothing here imports Slack."""
