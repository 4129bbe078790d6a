"""Backfill speed: `fetch` over weeks of answers from the stand-in API, each request answered after a delay.

    PYTHONPATH=.:tests python bench/fetch.py [--days 21] [--per-day 240] [--delay 0.25] [--concurrency 4]

The stand-in (tests/parliament_api_stand_in.py) serves DAYS weekdays of PER_DAY answered
questions, 81.6% of them cut short by the list as the real list API cuts them, so that each of
those is fetched again in full, as in a real backfill. Every request is answered after DELAY
seconds, standing in for the live API's time to answer. Prints the requests made, the time taken,
and what that comes to for a year of 250 sitting days.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from contextlib import closing
from datetime import date
from pathlib import Path

from parliament_api_stand_in import ParliamentApiStandIn, many_questions

from store.db import QuestionStore
from store.fetch.client import ParliamentApi
from store.fetch.run import fetch

SITTING_DAYS_A_YEAR = 250
FIRST_DAY = date(2024, 9, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=21, help="weekdays of answers (21: a month)")
    parser.add_argument(
        "--per-day", type=int, default=240, help="answers a day (240: about a real year's 60,000 / 250)"
    )
    parser.add_argument("--delay", type=float, default=0.25, help="seconds the stand-in takes to answer each request")
    parser.add_argument("--concurrency", type=int, default=4, help="requests in flight at once")
    args = parser.parse_args()
    listed, full = many_questions(FIRST_DAY, args.days, args.per_day)
    last_day = date.fromisoformat(listed[-1]["value"]["dateAnswered"][:10])
    with (
        closing(ParliamentApiStandIn(listed, full, delay=args.delay)) as stand_in,
        tempfile.TemporaryDirectory() as folder,
    ):
        api = ParliamentApi(stand_in.url, concurrency=args.concurrency)
        with closing(QuestionStore.open(Path(folder) / "bench.db")) as store:
            started = time.perf_counter()
            report = fetch(
                api, Path(folder) / "inbox", store, since=FIRST_DAY, until=last_day, today=date.today(), progress=True
            )
            seconds = time.perf_counter() - started
    requests = len(stand_in.requests)
    year = seconds * SITTING_DAYS_A_YEAR / args.days
    print(report.summary())
    print(
        f"{requests} requests in {seconds:.0f} s ({requests / seconds:.1f} a second, "
        f"at most {stand_in.most_at_once} at once) "
        f"with {args.delay} s a request and concurrency {args.concurrency}: "
        f"a year of {SITTING_DAYS_A_YEAR} sitting days would take {year / 3600:.1f} hours "
        f"({requests * SITTING_DAYS_A_YEAR // args.days} requests)"
    )


if __name__ == "__main__":
    main()
