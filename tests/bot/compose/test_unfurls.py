"""Unfurl cards, built without Slack: one per question link, compact, escaped, with both buttons."""

from block_kit import assert_within_limits, buttons, hostile_markup, sections
from records import HOSTILE, LONG

from bot.compose.buttons import CITE, FULL_ANSWER
from bot.compose.unfurls import MAX_LINKS, unfurl_card, unfurls

OFFICIAL = "https://questions-statements.parliament.uk/written-questions/detail/2024-03-01/{uin}"


def test_a_card_shows_heading_date_people_and_the_first_lines_of_the_answer():
    card = unfurl_card(LONG.as_record())
    title, answer = sections(card)
    assert title == "*School Transport: Puffin Island* · answered 1 May 2024"
    assert card["blocks"][1]["elements"][0]["text"] == "Unknown member → unknown department"
    assert answer.startswith("> Puffin Island pupils travel") and len(answer) <= 302 and answer.endswith("…")
    assert [button["value"] for button in buttons(card, FULL_ANSWER) + buttons(card, CITE)] == [LONG.id, LONG.id]
    assert_within_limits(card | {"text": "card"})


def test_a_hostile_record_is_escaped_on_its_card():
    assert hostile_markup(unfurl_card(HOSTILE.as_record())) == []


def test_only_links_that_name_a_known_question_get_cards_and_no_more_than_the_bound_are_looked_up():
    """Other addresses are skipped without a look-up; unknown questions get no card; looks stop at MAX_LINKS."""
    asked = []

    def find(link):
        asked.append(link)
        return HOSTILE.as_record() if link.uin != "404" else None

    urls = ["https://example.com/", OFFICIAL.format(uin="404")] + [OFFICIAL.format(uin=n) for n in range(10)]
    cards = unfurls(urls, find)
    assert list(cards) == [OFFICIAL.format(uin=n) for n in range(MAX_LINKS - 1)]
    assert len(asked) == MAX_LINKS
