"""Digest messages: per topic, the best few answers and the rest pointed to, within Block Kit's limits."""

from block_kit import assert_within_limits, hostile_markup, sections
from records import HOSTILE

from bot.digests import ANSWERS_PER_TOPIC, TopicSection, digest_message
from store.search import Hit
from store.subscriptions import Subscription


def topic(number: int, answers: int, record=HOSTILE) -> TopicSection:
    subscription = Subscription(number, "CSEND", f"topic {number} <!channel>", "UPERSON", "2025-03-03T09:00:00+00:00")
    hits = [Hit(record.as_record() | {"id": f"{record.id}-{n}"}, 90, "Parents: <!channel> **tribunal** news.") for n in range(answers)]
    return TopicSection(subscription, hits)


def test_a_topic_shows_its_best_few_answers_and_points_to_the_rest():
    """Five answers, then "and N more" with the /pq search that finds them."""
    message = digest_message("New answers", [topic(1, ANSWERS_PER_TOPIC + 3)])
    texts = sections(message)
    assert texts[0] == "*topic 1 &lt;!channel&gt;* · 8 new answers · #1"
    assert len(texts) == 1 + ANSWERS_PER_TOPIC
    assert "and 3 more: `/pq topic 1 &lt;!channel&gt;`" in str(message["blocks"])
    assert message["text"].startswith("New answers: 8 new answers on topic 1")


def test_each_answer_has_a_full_answer_button_and_a_bold_line():
    """The answer's heading, who asked, a line of the answer with the matched word bold, and a button."""
    [answer_block] = [block for block in digest_message("New answers", [topic(1, 1)])["blocks"] if "accessory" in block]
    assert answer_block["accessory"]["action_id"] == "full_answer"
    assert "*tribunal*" in answer_block["text"]["text"]


def test_text_from_answer_files_is_escaped_everywhere():
    """No ping, mention or disguised link from a record or a topic reaches Slack as markup."""
    assert hostile_markup(digest_message("New answers", [topic(1, 2)])) == []


def test_many_topics_stay_within_the_block_limit_and_say_what_was_left_out():
    """Topics that do not fit are counted and /pq subscriptions named."""
    message = digest_message("New answers", [topic(number, ANSWERS_PER_TOPIC + 1) for number in range(1, 20)])
    assert_within_limits(message)
    assert "more topics: `/pq subscriptions` lists them." in str(message["blocks"][-1])


def test_headings_and_topics_full_of_formatting_characters_keep_their_bold_intact():
    """A digest's bold topic title and bold answer headings hold no raw *, _, ~ or ` inside them."""
    record = HOSTILE.as_record() | {"heading": "*Urgent* _SEND_ ~cuts~ `code`"}
    subscription = Subscription(1, "CSEND", "*EHC* _plans_", "UPERSON", "2025-03-03T09:00:00+00:00")
    message = digest_message("New answers", [TopicSection(subscription, [Hit(record, 90, "")])])
    topic_title, answer = sections(message)
    assert topic_title.startswith("*∗EHC∗ ˍplansˍ* · ")
    assert answer.startswith("*∗Urgent∗ ˍSENDˍ ∼cuts∼ ˋcodeˋ* · ")
