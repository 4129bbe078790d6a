"""Answered (and tabled) written questions from the official Written Questions API, into the inbox.

One job per module: `client` speaks HTTP to the API, `filters` turns a department or house into
its query, `window` knows which days to ask about and where a run got to, `staging` writes each
finished page into the inbox under a free name, and `run` puts them together, day by day.
"""
