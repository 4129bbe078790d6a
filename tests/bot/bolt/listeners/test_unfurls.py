"""Pasted links end to end: a signed link_shared event in, one chat.unfurl out with a card per question."""

from contextlib import closing

import pytest
from block_kit import assert_within_limits, buttons, sections
from conftest import DATA
from parliament_api_stand_in import LIST_PATH, ParliamentApiStandIn
from slack_stand_in import PERSON, SlackStandIn

from bot.compose.buttons import CITE, FULL_ANSWER
from store.db import QuestionStore
from store.ingest import ingest_paths

UNFURL = "/api/chat.unfurl"
OFFICIAL = "https://questions-statements.parliament.uk/written-questions/detail/2024-09-10/5012"
TWFY = "https://www.theyworkforyou.com/wrans/?id=2009-10-29a.295056.h"
PARALLEL_PARLIAMENT = "https://www.parallelparliament.co.uk/question/296320/bovine-tuberculosis"


@pytest.fixture(scope="module")
def parliament():
    with closing(ParliamentApiStandIn()) as stand_in:
        yield stand_in


@pytest.fixture(scope="module")
def slack(tmp_path_factory, parliament):
    """pqbot served over HTTP against stand-in Slack and Parliament APIs, with a day of TheyWorkForYou XML stored."""
    db_path = tmp_path_factory.mktemp("slack") / "pq.db"
    with SlackStandIn.running(db_path, api_url=parliament.url) as stand_in:
        store = QuestionStore.open(db_path)
        ingest_paths(store, [DATA / "wrans" / "answers2009-10-29a.xml"])
        store.close()
        yield stand_in


def shared(slack: SlackStandIn, ts: str, *urls: str, **fields) -> None:
    """Paste these links in a message, as Slack reports it to an app whose domains they are on."""
    event = {
        "type": "link_shared",
        "channel": "CCHANNEL",
        "user": PERSON,
        "message_ts": ts,
        "links": [{"domain": url.split("/")[2], "url": url} for url in urls],
    } | fields
    assert slack.event(event).status == 200


def test_an_official_link_and_a_theyworkforyou_link_unfurl_in_one_call(slack, parliament):
    """The official question is not stored: it is looked up by day and UIN, stored, then unfurled with
    the TheyWorkForYou one, both in one chat.unfurl under the message; a link to elsewhere is left alone."""
    stored = QuestionStore.open(slack.settings.db_path)
    assert stored.get("2024-09-10/5012") is None
    shared(slack, "1700000000.000200", OFFICIAL, TWFY, "https://www.theyworkforyou.com/")
    [call] = slack.wait_for(UNFURL, ts="1700000000.000200")
    assert call.body["channel"] == "CCHANNEL" and set(call.body["unfurls"]) == {OFFICIAL, TWFY}
    official, twfy = call.body["unfurls"][OFFICIAL], call.body["unfurls"][TWFY]
    assert sections(official)[0] == "*Tom Crick* · answered 18 September 2024"
    assert sections(twfy)[0] == "*Employment: EC Law* · answered 29 October 2009"
    for card in (official, twfy):
        assert_within_limits(card | {"text": "card"})
        assert len(buttons(card, FULL_ANSWER)) == len(buttons(card, CITE)) == 1
    assert buttons(official, CITE)[0]["value"] == "2024-09-10/5012"
    assert parliament.received(LIST_PATH, uIN="5012", tabledWhenFrom="2024-09-10")
    assert stored.get("2024-09-10/5012")["heading"] == "Tom Crick"
    stored.close()


def test_a_parallel_parliament_link_unfurls_from_the_store(slack):
    shared(slack, "1700000000.000300", PARALLEL_PARLIAMENT)
    [call] = slack.wait_for(UNFURL, ts="1700000000.000300")
    assert sections(call.body["unfurls"][PARALLEL_PARLIAMENT])[0] == "*Bovine Tuberculosis* · answered 29 October 2009"


def test_a_link_being_written_is_unfurled_by_its_unfurl_id(slack):
    """In the message box Slack names the preview by unfurl_id and source, not channel and ts."""
    shared(slack, "draft-1", TWFY, channel="COMPOSER", unfurl_id="Uf1", source="composer")
    [call] = slack.wait_for(UNFURL, unfurl_id="Uf1")
    assert call.body["source"] == "composer" and "ts" not in call.body and "channel" not in call.body


def test_links_that_name_no_known_question_call_nothing(slack, parliament):
    """An unknown TheyWorkForYou page and a question the API does not have: no chat.unfurl at all."""
    unknown = OFFICIAL.replace("5012", "99999")
    shared(slack, "1700000000.000400", TWFY.replace("295056", "999999"), unknown)
    slack.wait_until(lambda: bool(parliament.received(LIST_PATH, uIN="99999")), "the API was never asked")
    shared(slack, "1700000000.000401", TWFY)
    slack.wait_for(UNFURL, ts="1700000000.000401")
    assert slack.received(UNFURL, ts="1700000000.000400") == []
