"""The scheduled work of `pqbot serve`: scanning the inbox, posting digests (and settling posts a
crash left unsure), the daily fetch and the weekly round-up, on APScheduler."""
