"""From a file in the inbox to the first digest post, through a real `pqbot serve` process.

    python bench/inbox.py ../shared/corpus [--interval 2] [--drops 5]

A stand-in for Slack's Web API listens on loopback (tests/bot/slack_stand_in.py); `pqbot serve`
runs over a store of the bundled seeds with one subscription and scans its inbox every
`--interval` seconds. Each drop is a file of 50 real answers under new UINs, put in place three
ways — renamed in as `pqbot fetch` stages it, copied in with a plain write, and written slowly
over several seconds — and the time until Slack is sent the digest is reported for each.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "tests" / "bot"))

import slack_stand_in  # noqa: E402
from slack_stand_in import WebApiStandIn  # noqa: E402

from store.db import QuestionStore  # noqa: E402
from store.fetch.staging import put_in_place  # noqa: E402
from store.search import SearchEngine  # noqa: E402
from store.seeding import ensure_seeded  # noqa: E402
from store.subscriptions import Subscriptions  # noqa: E402

POST = "/api/chat.postMessage"
TOPIC = "school"
ANSWERS_PER_DROP = 50


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers_about_schools(corpus: Path) -> list[dict]:
    """Real answers from CORPUS/api whose heading names schools, in the API's shape."""
    found = []
    for path in sorted((corpus / "api").glob("*.json")):
        found += [
            item["value"]
            for item in json.loads(path.read_text("utf-8"))["results"]
            if "school" in (item["value"].get("heading") or "").casefold()
        ]
    return found


def drop_content(answers: list[dict], drop: int) -> bytes:
    batch = [
        {"value": answers[(drop * ANSWERS_PER_DROP + n) % len(answers)] | {"uin": f"inbox{drop}-{n}", "id": None}}
        for n in range(ANSWERS_PER_DROP)
    ]
    return json.dumps({"totalResults": len(batch), "results": batch}).encode()


def renamed_in(inbox: Path, name: str, content: bytes) -> None:
    put_in_place(inbox, name, content)


def copied_in(inbox: Path, name: str, content: bytes) -> None:
    (inbox / name).write_bytes(content)


def written_slowly(inbox: Path, name: str, content: bytes) -> None:
    """A file that grows over four seconds, as a slow download would: timed from its last write."""
    with open(inbox / name, "wb") as file:
        for start in range(0, len(content), len(content) // 4 + 1):
            file.write(content[start : start + len(content) // 4 + 1])
            file.flush()
            time.sleep(1)


def carrying(slack: WebApiStandIn, drop: int) -> list:
    """The posts so far that carry an answer of this drop (their UINs name it)."""
    return [post for post in slack.received(POST) if f"inbox{drop}-" in json.dumps(post.body)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--interval", type=int, default=2)
    parser.add_argument("--drops", type=int, default=5)
    args = parser.parse_args()
    answers = answers_about_schools(args.corpus)
    slack_stand_in.WAIT_SECONDS = 60
    slack = WebApiStandIn()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        store = QuestionStore.open(work / "pq.db")
        ensure_seeded(store)
        Subscriptions(store, SearchEngine(store)).add("C1", TOPIC, "U1", datetime.now(UTC))
        store.close()
        inbox = work / "inbox"
        inbox.mkdir()
        env = {key: value for key, value in os.environ.items() if "proxy" not in key.casefold()} | {
            "PQBOT_DB": str(work / "pq.db"),
            "PQBOT_INBOX": str(inbox),
            "PQBOT_INBOX_INTERVAL": str(args.interval),
            "PQBOT_FETCH": "off",
            "PQBOT_WEEKLY_DIGEST": "off",
            "PQBOT_PORT": str(free_port()),
            "SLACK_BOT_TOKEN": "xoxb-bench",
            "SLACK_SIGNING_SECRET": "bench",
            "SLACK_API_URL": f"{slack.url}/api/",
        }
        server = subprocess.Popen(
            [sys.executable, "-c", "from bot.cli import main; main()", "serve"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        results: dict[str, list[float]] = {}
        try:
            drop = 0
            for way in (renamed_in, copied_in, written_slowly):
                for _ in range(args.drops):
                    way(inbox, f"drop-{drop}.json", drop_content(answers, drop))
                    dropped = time.monotonic()
                    slack.wait_until(lambda number=drop: carrying(slack, number), f"the digest of drop {drop}")
                    results.setdefault(way.__name__.replace("_", " "), []).append(carrying(slack, drop)[0].at - dropped)
                    drop += 1
        finally:
            server.terminate()
            server.wait()
            slack.close()
    print(f"inbox scanned every {args.interval} s; target: file → first digest post ≤ interval + 5 s\n")
    print("| file put in place | median (s) | max (s) |")
    print("|---|---|---|")
    for way, seconds in results.items():
        print(f"| {way} | {statistics.median(seconds):.1f} | {max(seconds):.1f} |")


if __name__ == "__main__":
    main()
