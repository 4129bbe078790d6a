"""Questions tabled and not yet answered: fetched, found by search and shown as awaiting an answer, and
heard of when tabled by a channel that subscribed with --tabled (then told of the answer in the thread)."""

import json
from contextlib import closing

from click.testing import CliRunner
from conftest import answer_file
from parliament_api_stand_in import LISTED, ParliamentApiStandIn

from bot.cli import cli
from scheduled.test_serve_digests import POST, serving

QUESTION = (
    "To ask the Secretary of State for Education, what steps she is taking to ensure that children with EHC "
    "plans in Mid Cheshire have school transport."
)


def tabled_entry() -> dict:
    """A real Commons question of the stand-in's slice, tabled on 19 September 2024 and not yet answered."""
    model = next(entry for entry in json.loads(LISTED.read_text("utf-8")) if entry["value"]["id"] == 1728337)
    awaiting = {
        "id": 1729999,
        "uin": "7777",
        "dateTabled": "2024-09-19T00:00:00",
        "heading": "Special Educational Needs: Transport",
        "questionText": QUESTION,
        "answerText": None,
        "dateAnswered": None,
        "answeringMember": None,
        "answeringMemberId": None,
    }
    return {"value": model["value"] | awaiting}


def answered(entry: dict) -> dict:
    """The same question once answered."""
    value = entry["value"] | {
        "answerText": "<p>Local authorities must arrange free school transport.</p>",
        "dateAnswered": "2024-09-26T00:00:00",
    }
    return {"value": value}


def test_a_fetched_tabled_question_is_found_by_search_and_shown_as_awaiting_an_answer(tmp_path):
    """pqbot fetch lists it (answered=Unanswered), ingest stores it, and pqbot ask finds it, awaiting an answer."""
    listed = json.loads(LISTED.read_text("utf-8")) + [tabled_entry()]
    with closing(ParliamentApiStandIn(listed)) as parliament:
        env = {
            "PQBOT_DB": str(tmp_path / "pq.db"),
            "PQBOT_INBOX": str(tmp_path / "inbox"),
            "PQBOT_API_URL": parliament.url,
        }

        def run(*args: str):
            result = CliRunner().invoke(cli, list(args), env=env, catch_exceptions=False)
            assert result.exit_code == 0, result.output
            return result.stdout

        run("fetch", "--since", "2024-09-19", "--until", "2024-09-19")
        assert parliament.received(answered="Unanswered", tabledWhenFrom="2024-09-19", tabledWhenTo="2024-09-19")
        run("ingest", str(tmp_path / "inbox"))
        shown = run("ask", "school transport Mid Cheshire")
        [record] = json.loads(run("ask", "--json", "--limit", "1", "school transport Mid Cheshire"))
    assert shown.split("\n\n")[1].startswith(
        "1. Special Educational Needs: Transport · tabled 19 September 2024 · awaiting an answer"
    )
    assert (record["status"], record["answer"]) == ("tabled", None)


def test_a_tabled_subscription_hears_of_a_question_when_tabled_and_of_its_answer_in_the_thread(tmp_path):
    """--tabled: the question in a digest when tabled, its answer as news in that digest's thread. A plain
    subscription to the same topic hears nothing until the answer, then has it as a new answer."""
    with serving(tmp_path) as served:
        served.pq("subscribe --tabled EHC school transport", "CTABLED", "subscribe-tabled")
        served.pq("subscribe EHC school transport", "CPLAIN", "subscribe-plain")
        listed = served.pq("subscriptions", "CTABLED", "list")
        assert "*EHC school transport* (#1) · tabled questions too" in json.dumps(listed, ensure_ascii=False)
        served.drop_file("tabled.json", answer_file([tabled_entry()]))
        served.scan_inbox_now()
        [tabled] = served.slack.received(POST, channel="CTABLED")
        assert "awaiting an answer" in json.dumps(tabled.body["blocks"])
        assert served.slack.received(POST, channel="CPLAIN") == []
        served.drop_file("answered.json", answer_file([answered(tabled_entry())]))
        served.scan_inbox_now()
        tabled, news = served.slack.received(POST, channel="CTABLED")
        assert news.body["thread_ts"] == served.slack.history["CTABLED"][0]["ts"]
        assert "Now answered" in json.dumps(news.body["blocks"]) and "free school transport" in json.dumps(news.body)
        [plain] = served.slack.received(POST, channel="CPLAIN")
        assert plain.body["blocks"][0]["text"]["text"] == "New answers" and "answered 26 September 2024" in json.dumps(
            plain.body
        )
