"""What pqbot says in Slack: pages of results, a shared result, the full answer, help and hints.

Pure functions from search results and records to Block Kit. All text from answer files and
from queries is escaped here, once, before it is placed in a block.
"""

from __future__ import annotations

import re

from bot.compose import blocks
from bot.compose.blocks import MAX_MODAL_BLOCKS, MAX_TEXT, Message
from bot.compose.buttons import (
    CITE,
    FULL_ANSWER,
    MORE_RESULTS,
    SHARE_IN_CHANNEL,
    SharedAnswer,
)
from bot.compose.citation import cite
from bot.compose.grammar import COMMAND
from bot.compose.mrkdwn import bold_matches, clip, escape, link, pieces
from bot.compose.record_text import answered_on, correction_lines, heading_of, who
from store.search import SearchResult

FILTERS = "`from:2024` `to:2024-06` `dept:education` `by:Quince` `house:lords`"
EXAMPLE = f"`{COMMAND} EHC timeliness`"
# A result's question is cut to this, so that a page of five stays within a message's text limit;
# Full answer shows it whole.
QUESTION_LENGTH = 1000
_SLACK_ID = re.compile(r"[A-Z0-9]+")

HELP = f"""*pqbot finds ministers' answers to written parliamentary questions.*
{EXAMPLE} shows the answers that best match, the best first, only to you until you *Share in channel*.
• *Cite* beside an answer shows you a citation to paste into a letter or a tribunal bundle.
• Filters go anywhere in the query: {FILTERS}
• `"an exact phrase"` must appear as typed; `-word` leaves out answers that hold it.
• Mention @pqbot with a question in a channel, or send it a direct message: it answers in a thread.
• On any message, *⋮ → Find answers about this* searches what it is about; a pasted link to a written \
question unfurls into a card.
• `{COMMAND} subscribe TOPIC` posts new answers on a topic to this channel as they arrive, and a \
round-up each week; `{COMMAND} subscribe --tabled TOPIC` posts questions on it as they are tabled, too, \
then their answers; `{COMMAND} subscriptions` lists the channel's topics, `{COMMAND} unsubscribe ID` \
stops one, and `{COMMAND} resume` posts digests again after Slack refused them. A topic is a search: \
`{COMMAND} subscribe EHC plans dept:education`."""


def result_message(result: SearchResult, shareable: bool, more_value: str | None = None) -> Message:
    """A page of results: what was searched for, a plain word on a weak or empty match, the hits, and a
    *More results* button carrying more_value when there is a next page."""
    query = escape(result.query)
    page = [blocks.context(_searched_for(result))]
    if not result.hits:
        page.append(blocks.section(_nothing_found(query)))
    elif not result.confident:
        page.append(blocks.section(f"No confident match for “{query}”; the nearest answers:"))
    for rank, hit in enumerate(result.hits, start=result.offset + 1):
        buttons = record_buttons(hit.record)
        if shareable:
            share = SharedAnswer(hit.record["id"], hit.snippet)
            buttons.append(blocks.button("Share in channel", SHARE_IN_CHANNEL, share.value()))
        page += [blocks.divider(), *_hit_blocks(hit.record, hit.snippet, rank, buttons)]
    if result.more and more_value:
        page += blocks.actions(blocks.button("More results", MORE_RESULTS, more_value))
    headings = "; ".join(heading_of(hit.record) for hit in result.hits)
    return blocks.message(page, f"Answers for “{query}”: {headings}" if headings else _nothing_found(query))


def shared_message(record: dict, snippet: str, sharer_id: str) -> Message:
    """One result as the whole channel sees it, saying who shared it."""
    sharer = f"<@{sharer_id}>" if _SLACK_ID.fullmatch(sharer_id) else "Someone"
    page = [blocks.context(f"{sharer} shared this answer from pqbot")]
    page += _hit_blocks(record, snippet, None, record_buttons(record))
    return blocks.message(page, heading_of(record))


def answer_modal(record: dict | None) -> dict:
    """The whole answer in a modal, in as many sections as it takes; says so if it had to be cut."""
    if record is None:
        return blocks.modal("Full answer", [blocks.section("This answer is no longer in pqbot's store.")])
    top = [
        blocks.header(heading_of(record)),
        blocks.context(" · ".join(filter(None, [answered_on(record), escape(who(record))]))),
        blocks.section(escape(record["question"])),
        *(blocks.context(line) for line in correction_lines(record)),
        blocks.divider(),
    ]
    answer = pieces(escape(record["answer"] or "No answer is stored for this question."), MAX_TEXT)
    room = MAX_MODAL_BLOCKS - len(top) - 1
    shown = answer[:room]
    ending = _answer_ending(record, cut=len(shown) < len(answer))
    return blocks.modal("Full answer", top + [blocks.section(piece) for piece in shown] + ending)


def citation_modal(record: dict | None) -> dict:
    """A record's citation in a modal, only for the person who asked: a sentence and a short reference."""
    if record is None:
        return blocks.modal("Cite", [blocks.section("This answer is no longer in pqbot's store.")])
    citation = cite(record)
    return blocks.modal(
        "Cite this answer",
        [
            blocks.context("To paste into a letter or a tribunal bundle:"),
            blocks.section(escape(citation.sentence)),
            blocks.context("Short reference:"),
            blocks.section(escape(citation.reference)),
        ],
    )


def help_message() -> Message:
    """How to search, and what else pqbot understands."""
    return blocks.message([blocks.section(HELP)], "How to use pqbot")


def usage_message(problem: str) -> Message:
    """A short hint for words pqbot could not act on."""
    text = f"{escape(problem)}\nFor example {EXAMPLE}; `{COMMAND} help` shows everything pqbot understands."
    return blocks.message([blocks.section(text)], escape(problem))


def gone_message() -> Message:
    """The answer to a button whose record has left the store since the button was shown."""
    text = "That answer is no longer in pqbot's store; search again for the latest."
    return blocks.message([blocks.section(text)], text)


def failure_message() -> Message:
    """The answer when something went wrong inside pqbot (the details are in its log)."""
    text = "Sorry: something went wrong inside pqbot, so it cannot answer that just now. Please try again."
    return blocks.message([blocks.section(text)], text)


def _hit_blocks(record: dict, snippet: str, rank: int | None, buttons: list[dict | None]) -> list[dict]:
    """One result: heading, date and question; who asked and answered; the snippet; the buttons."""
    number = f"{rank}. " if rank else ""
    title = " · ".join(filter(None, [f"*{number}{heading_of(record)}*", answered_on(record)]))
    credits = [escape(who(record))]
    official_page = link(record["url"], "Official page")
    if official_page:
        credits.append(official_page)
    question = clip(escape(record["question"]), QUESTION_LENGTH)
    hit = [blocks.section(f"{title}\n{question}"), blocks.context(" · ".join(credits))]
    if snippet:
        hit.append(blocks.section("> " + bold_matches(escape(snippet))))
    hit += [blocks.context(line) for line in correction_lines(record)]
    return hit + blocks.actions(*buttons)


def record_buttons(record: dict) -> list[dict | None]:
    """Full answer, for a record that has one, and Cite."""
    full_answer = blocks.button("Full answer", FULL_ANSWER, record["id"]) if record["answer"] else None
    return [full_answer, blocks.button("Cite", CITE, record["id"])]


def _searched_for(result: SearchResult) -> str:
    """What was searched for, with any corrected words."""
    text = f"Searched for: {escape(result.searched_for or result.query)}"
    corrections = ", ".join(f"{escape(typed)} → {escape(fixed)}" for typed, fixed in result.corrections)
    return text + (f" · Corrected: {corrections}" if corrections else "")


def _nothing_found(query: str) -> str:
    """What to try when nothing matches an (escaped) query."""
    return (
        f"Nothing matches “{query}”. Try fewer words, another word for the same thing, or check "
        f"the filters ({FILTERS}). `{COMMAND} help` shows how to search."
    )


def _answer_ending(record: dict, cut: bool) -> list[dict]:
    """A closing line: that the answer was cut or came incomplete, and where to read it all."""
    official_page = link(record["url"], "the official page")
    notes = []
    if cut:
        notes.append("This answer is too long to show here in full, so it stops above.")
    if record["answer_truncated"]:
        notes.append("The source pqbot read holds only the start of this answer.")
    if official_page:
        notes.append(f"Read it on {official_page}." if notes else f"Also on {official_page}.")
    return [blocks.context(" ".join(notes))] if notes else []
