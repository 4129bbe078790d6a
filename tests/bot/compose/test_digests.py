"""Digest messages: every answer listed, in as many messages as it takes, each within Slack's limits."""

from block_kit import assert_within_limits, buttons, hostile_markup, sections
from records import HOSTILE

from bot.compose.buttons import CITE, FULL_ANSWER
from bot.compose.digests import ANSWERS_IN_FULL, TopicSection, digest_parts
from store.search import Hit
from store.subscriptions import Subscription


def topic(number: int, answers: int, record=HOSTILE) -> TopicSection:
    subscription = Subscription(number, "CSEND", f"topic {number} <!channel>", "UPERSON", "2025-03-03T09:00:00+00:00")
    hits = [
        Hit(record.as_record() | {"id": f"{record.id}-{number}-{n}"}, 90, "Parents: <!channel> **tribunal** news.")
        for n in range(answers)
    ]
    return TopicSection(subscription, hits)


def test_a_topic_shows_its_first_answers_in_full_and_lists_every_other_one():
    """Three answers with who asked and a line of the answer, then the rest a line each; none only counted."""
    [part] = digest_parts("New answers", [topic(1, ANSWERS_IN_FULL + 3)])
    texts = sections(part.message)
    assert texts[0] == "*topic 1 &lt;!channel&gt;* · 6 new answers · #1"
    assert len(texts) == 1 + ANSWERS_IN_FULL + 3
    assert all("tribunal" in text for text in texts[1 : 1 + ANSWERS_IN_FULL])
    assert all(text.startswith("• *") and "tribunal" not in text for text in texts[1 + ANSWERS_IN_FULL :])
    assert len(part.carried) == 6
    assert part.message["text"].startswith("New answers: 6 new answers on topic 1")


def test_each_answer_has_full_answer_and_cite_buttons_and_a_bold_line():
    """The answer's heading, who asked, a line of the answer with the matched word bold, and its buttons."""
    [part] = digest_parts("New answers", [topic(1, ANSWERS_IN_FULL + 1)])
    assert "*tribunal*" in sections(part.message)[1]
    record_ids = [hit.record["id"] for hit in topic(1, ANSWERS_IN_FULL + 1).hits]
    assert [button["value"] for button in buttons(part.message, FULL_ANSWER)] == record_ids
    assert [button["value"] for button in buttons(part.message, CITE)] == record_ids


def test_text_from_answer_files_is_escaped_everywhere():
    """No ping, mention or disguised link from a record or a topic reaches Slack as markup."""
    assert hostile_markup([part.message for part in digest_parts("New answers", [topic(1, 2)])]) == []


def test_thirty_topics_of_two_hundred_answers_split_into_messages_that_list_each_answer_once():
    """The parts keep every Block Kit limit, the whole-message text limit included, number themselves, and
    between them carry each (topic, answer) exactly once, in order."""
    topics = [topic(number, 7) for number in range(1, 29)] + [topic(29, 2), topic(30, 2)]
    parts = digest_parts("New answers", topics)
    assert len(parts) > 1
    for part in parts:
        assert_within_limits(part.message)
    carried = [key for part in parts for key in part.carried]
    wanted = [(section.subscription.id, hit.record["id"]) for section in topics for hit in section.hits]
    assert carried == wanted and len(wanted) == 200
    assert parts[1].message["blocks"][0]["text"]["text"] == f"New answers (2 of {len(parts)})"


def test_a_topic_split_across_messages_is_named_again_at_the_top_of_the_next():
    """Its answers carry on under "(continued)", so no part starts with answers of no named topic."""
    parts = digest_parts("New answers", [topic(1, 120)])
    assert len(parts) >= 3
    assert all(sections(part.message)[0].startswith("*topic 1 &lt;!channel&gt;* (continued)") for part in parts[1:])


def test_headings_and_topics_full_of_formatting_characters_keep_their_bold_intact():
    """A digest's bold topic title and bold answer headings hold no raw *, _, ~ or ` inside them."""
    record = HOSTILE.as_record() | {"heading": "*Urgent* _SEND_ ~cuts~ `code`"}
    subscription = Subscription(1, "CSEND", "*EHC* _plans_", "UPERSON", "2025-03-03T09:00:00+00:00")
    [part] = digest_parts("New answers", [TopicSection(subscription, [Hit(record, 90, "")])])
    topic_title, answer = sections(part.message)
    assert topic_title.startswith("*∗EHC∗ ˍplansˍ* · ")
    assert answer.startswith("*∗Urgent∗ ˍSENDˍ ∼cuts∼ ˋcodeˋ* · ")
