"""News of an answer a channel already had, as one message: its holding answer answered, or the answer corrected.

Pure functions from a record and the stage it reached to Block Kit; the new text is shown (as much
of it as a message holds, with Full answer for the rest), and all of it escaped.
"""

from __future__ import annotations

from bot.compose import blocks
from bot.compose.blocks import MAX_TEXT, Message
from bot.compose.buttons import FULL_ANSWER
from bot.compose.mrkdwn import clip, escape, escape_inside_formatting
from bot.compose.record_text import answered_on, correction_lines, heading_of

# Room in the answer's section for the heading line above the quoted answer.
HEADING_ROOM = 400
TOPICS_LENGTH = 300
# What each stage a question reaches is called at the top of the news.
STAGE_NAMES = {"answered": "Now answered", "holding": "Holding answer", "corrected": "Answer corrected"}


def news_message(record: dict, stage: str, topics: tuple[str, ...]) -> Message:
    """The news that a question this channel was sent (for these topics) reached a stage, with its new text."""
    name = STAGE_NAMES.get(stage.partition(":")[0], "Update")
    title = " · ".join(filter(None, [f"*{name}: {heading_of(record)}*", answered_on(record)]))
    answer = clip(escape(record["answer"] or ""), MAX_TEXT - HEADING_ROOM)
    section = blocks.section(f"{title}\n> " + answer.replace("\n", "\n> ") if answer else title)
    button = blocks.button("Full answer", FULL_ANSWER, record["id"])
    if button and record["answer"]:
        section["accessory"] = button
    about = clip(escape_inside_formatting(", ".join(topics)), TOPICS_LENGTH)
    page = [section, *(blocks.context(line) for line in correction_lines(record))]
    page.append(blocks.context(f"An update to an answer this channel was sent for {about}"))
    return blocks.message(page, f"{name}: {escape(record['heading'] or 'a written question')}")
