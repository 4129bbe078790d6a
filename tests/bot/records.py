"""Records the bot's tests search and show: hostile markup, a 4,000-word answer, two pages on one topic."""

from store.record import Question

# A record whose every field tries to ping the channel, mention someone or disguise a link.
HOSTILE = Question(
    heading="Kittiwake Academy <!channel>",
    question="To ask the Secretary of State for Education about Kittiwake Academy, <@U123> & <!here>.",
    answer="Kittiwake Academy parents: <!channel> see <https://evil.example|click> for tribunal news.",
    asked_by="<!everyone>",
    asked_by_party="<@U123>",
    department="Department for Education & <b>Skills</b>",
    answered_by="<https://evil.example|Minister>",
    uin="77|<!channel>",
    date_asked="2024-03-01",
    date_answered="2024-03-08",
)
# A 4,000-word answer: 50 paragraphs of 8 ten-word sentences.
LONG_SENTENCE = "Puffin Island pupils travel by ferry and minibus each day."
LONG = Question(
    heading="School Transport: Puffin Island",
    question="To ask the Secretary of State for Education, what support is given to Puffin Island pupils.",
    answer="\n\n".join(" ".join([LONG_SENTENCE] * 8) for _ in range(50)),
    date_answered="2024-05-01",
)
# Enough answers about respite care for two pages of results.
RESPITE = [
    Question(
        heading="Respite Care: Disabled Children",
        question=f"To ask the Secretary of State for Education, what respite care is funded in region {n}.",
        answer=f"Respite care for disabled children in region {n} is funded by the local authority.",
        uin=f"9{n}",
        date_asked="2024-02-01",
        date_answered=f"2024-02-{10 + n}",
    )
    for n in range(7)
]
