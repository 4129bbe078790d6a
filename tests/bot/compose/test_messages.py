"""What pqbot says in Slack, rendered without Slack: results, shares, the full answer and hints."""

import records
from block_kit import (
    MODAL_BLOCKS,
    assert_within_limits,
    buttons,
    hostile_markup,
    sections,
    shown_text,
)

from bot.compose.buttons import (
    FULL_ANSWER,
    MORE_RESULTS,
    SHARE_IN_CHANNEL,
    NextPage,
    SharedAnswer,
)
from bot.compose.messages import (
    answer_modal,
    answered_on,
    help_message,
    result_message,
    shared_message,
    usage_message,
)
from bot.compose.mrkdwn import escape
from store.record import Question
from store.search import Hit, SearchResult

SEN = Question(
    heading="Special Educational Needs",
    question="To ask the Secretary of State for Education, what steps she is taking on EHC plans.",
    answer="Every child deserves support.\n\nThe department publishes data on EHC plan timeliness.",
    asked_by="David Williams",
    asked_by_party="Labour",
    department="Department for Education",
    answered_by="Catherine McKinnell",
    uin="10771",
    date_asked="2024-10-23",
    date_answered="2024-10-31",
).as_record()
HOSTILE = records.HOSTILE.as_record()
SNIPPET = "The department publishes data on **EHC plan** **timeliness**."


def result(*records: dict, query: str = "EHC timeliness", **fields) -> SearchResult:
    """A search result holding these records, with SNIPPET as each one's snippet."""
    hits = tuple(Hit(record, 80, SNIPPET) for record in records)
    return SearchResult(query=query, hits=hits, **({"confident": True, "searched_for": query} | fields))


def test_a_result_shows_heading_date_question_people_snippet_and_link():
    """Each hit shows what a campaigner needs to judge it at a glance."""
    message = result_message(result(SEN), shareable=True)
    title, snippet = sections(message)
    assert title == (
        "*1. Special Educational Needs* · answered 31 October 2024\n"
        "To ask the Secretary of State for Education, what steps she is taking on EHC plans."
    )
    assert snippet == "> The department publishes data on *EHC plan* *timeliness*."
    credits = message["blocks"][3]["elements"][0]["text"]
    assert credits == (
        "David Williams (Labour) → Department for Education; answered by Catherine McKinnell · "
        "<https://questions-statements.parliament.uk/written-questions/detail/2024-10-23/10771|Official page>"
    )
    assert message["text"] == "Answers for “EHC timeliness”: Special Educational Needs"


def test_a_heading_full_of_formatting_characters_keeps_the_outer_bold_intact():
    """*, _, ~ and ` in a heading become look-alikes, so the result's bold title opens and closes once."""
    record = SEN | {"heading": "*Urgent* _SEND_ ~cuts~ `code` **"}
    title, _ = sections(result_message(result(record), shareable=True))
    heading = title.split(" · ")[0]
    assert heading == "*1. ∗Urgent∗ ˍSENDˍ ∼cuts∼ ˋcodeˋ ∗∗*"
    assert not any(character in heading[1:-1] for character in "*_~`")


def test_a_private_result_has_full_answer_and_share_buttons():
    """Only the asker sees it, so it can be shared; the share carries the record and its snippet."""
    message = result_message(result(SEN), shareable=True)
    assert [button["value"] for button in buttons(message, FULL_ANSWER)] == [SEN["id"]]
    [share] = buttons(message, SHARE_IN_CHANNEL)
    assert SharedAnswer.from_value(share["value"]) == SharedAnswer(SEN["id"], SNIPPET)


def test_a_result_everyone_sees_has_no_share_button():
    """A thread reply is already public: no Share in channel."""
    message = result_message(result(SEN), shareable=False)
    assert buttons(message, SHARE_IN_CHANNEL) == []
    assert len(buttons(message, FULL_ANSWER)) == 1


def test_more_results_carries_the_value_it_is_given_and_numbering_carries_on():
    """Numbering carries on from the page's offset; the button carries what the caller chose."""
    value = NextPage("EHC timeliness", 7).value()
    message = result_message(result(SEN, SEN, offset=5, more=True), shareable=True, more_value=value)
    assert sections(message)[2].startswith("*7. Special Educational Needs*")
    [more] = buttons(message, MORE_RESULTS)
    assert more["value"] == value


def test_the_context_says_what_was_searched_for_and_corrected():
    """The words really searched for, and any typo corrections, are shown."""
    message = result_message(
        result(SEN, searched_for="ehc (or ehcp) + timeliness", corrections=(("timelines", "timeliness"),)),
        shareable=True,
    )
    assert message["blocks"][0]["elements"][0]["text"] == (
        "Searched for: ehc (or ehcp) + timeliness · Corrected: timelines → timeliness"
    )


def test_a_weak_match_says_so_plainly():
    """Without a confident match the reply says the answers are only the nearest."""
    message = result_message(result(SEN, query="tribunal ferries", confident=False), shareable=True)
    assert sections(message)[0] == "No confident match for “tribunal ferries”; the nearest answers:"


def test_no_match_suggests_what_to_try():
    """An empty result suggests fewer words, other words, the filters and help."""
    message = result_message(result(query="zzz qqq", confident=False), shareable=True)
    [suggestion] = sections(message)
    assert suggestion.startswith("Nothing matches “zzz qqq”. Try fewer words, another word for the same thing")
    assert "`from:2024`" in suggestion and "`/pq help`" in suggestion
    assert message["text"].startswith("Nothing matches")


def test_hostile_text_is_escaped_everywhere_it_is_shown():
    """No record or query text can ping a channel, mention anyone or disguise a link."""
    shown = [
        result_message(result(HOSTILE, query="<!channel> <@U123>", confident=False), shareable=True),
        shared_message(HOSTILE, HOSTILE["answer"], "UPERSON"),
        answer_modal(HOSTILE),
    ]
    assert hostile_markup(shown) == []
    assert all("Kittiwake Academy &lt;!channel&gt;" in str(shown_text(surface)) for surface in shown)


def test_a_huge_query_keeps_every_limit():
    """A 10,000-character query still makes a valid message."""
    message = result_message(result(SEN, query="EHC " * 2500, more=True), shareable=True, more_value="{}")
    assert_within_limits(message)
    assert len(buttons(message, MORE_RESULTS)) == 1


def test_five_results_with_the_longest_questions_stay_within_a_messages_text_limit():
    """Questions of 3,000 characters each are cut, so that the page as a whole stays under Slack's ~12,000."""
    long = SEN | {"question": "To ask the Secretary of State for Education " + "what support " * 250}
    message = result_message(result(*[long] * 5), shareable=True)
    assert_within_limits(message)
    assert sections(message)[0].endswith("…")


def test_a_shared_result_names_who_shared_it_and_cannot_be_shared_again():
    """The channel sees who shared it, the same result, and a Full answer button."""
    message = shared_message(SEN, SNIPPET, "UPERSON")
    assert message["blocks"][0]["elements"][0]["text"] == "<@UPERSON> shared this answer from pqbot"
    assert sections(message)[0].startswith("*Special Educational Needs* · answered 31 October 2024")
    assert sections(message)[1] == "> The department publishes data on *EHC plan* *timeliness*."
    assert buttons(message, SHARE_IN_CHANNEL) == [] and len(buttons(message, FULL_ANSWER)) == 1


def test_the_modal_holds_the_whole_answer_in_pieces():
    """A 4,000-word answer is all there, in sections within Slack's limits."""
    answer = "\n\n".join(f"Paragraph {n}. " + "Support for pupils with EHC plans. " * 20 for n in range(40))
    view = answer_modal(SEN | {"answer": answer})
    assert_within_limits(view, MODAL_BLOCKS)
    shown = " ".join(block["text"]["text"] for block in view["blocks"][4:] if block["type"] == "section")
    assert shown.split() == escape(answer).split()
    assert view["blocks"][-1]["elements"][0]["text"].startswith("Also on <https://")


def test_an_answer_too_long_for_a_modal_is_cut_and_says_so():
    """Past 100 blocks the answer stops, and the modal says so and links the official page."""
    view = answer_modal(SEN | {"answer": ("word " * 590 + "\n\n") * 120})
    assert_within_limits(view, MODAL_BLOCKS)
    assert len(view["blocks"]) == MODAL_BLOCKS
    ending = view["blocks"][-1]["elements"][0]["text"]
    assert ending.startswith("This answer is too long to show here in full, so it stops above. Read it on <https://")


def test_the_modal_says_when_the_source_held_only_part_of_the_answer():
    """An answer the source truncated is marked as such."""
    view = answer_modal(SEN | {"answer_truncated": True, "url": None})
    assert view["blocks"][-1]["elements"][0]["text"] == "The source pqbot read holds only the start of this answer."


def test_the_modal_for_a_record_no_longer_stored_says_so():
    """A button outliving its record opens a modal that explains."""
    assert sections(answer_modal(None)) == ["This answer is no longer in pqbot's store."]


def test_help_explains_searching_filters_threads_and_subscriptions():
    """Help covers the query, its filters, mentions and DMs, and the coming subscriptions."""
    [text] = sections(help_message())
    for part in ("`/pq EHC timeliness`", "`dept:education`", '`"an exact phrase"`', "direct message", "subscribe"):
        assert part in text


def test_a_usage_hint_escapes_the_problem_and_points_at_help():
    """The problem (which may quote what was typed) is escaped; the hint shows an example and help."""
    [text] = sections(usage_message("from: takes a year, not '<!channel>'"))
    assert text.startswith("from: takes a year, not '&lt;!channel&gt;'\nFor example `/pq EHC timeliness`")
    assert "`/pq help`" in text


def test_a_day_is_written_without_a_leading_zero_on_every_platform():
    """ "answered 8 March 2024", formatted without glibc's %-d, so Windows shows the same."""
    answered = {"status": "answered", "answer": "An answer."}
    assert answered_on(answered | {"date_answered": "2024-03-08"}) == "answered 8 March 2024"
    assert answered_on(answered | {"date_answered": "2024-11-30"}) == "answered 30 November 2024"
