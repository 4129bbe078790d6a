"""The search engine over a real store: acronyms, typos, filters, hostile text, no-match replies."""

import pytest

from store.db import QuestionStore
from store.record import Question
from store.search import QueryError, SearchEngine
from store.search.plan import MOST_CONCEPTS
from store.search.vocabulary import Vocabulary
from store.seeding import ensure_seeded

RECORDS = [
    Question(
        uin="101",
        date_asked="2024-02-01",
        date_answered="2024-02-09",
        house="Commons",
        heading="Special Educational Needs: Tribunals",
        department="Department for Education",
        asked_by="Ann Asker",
        answered_by="David Johnston",
        question="To ask the Secretary of State for Education, how many appeals to the SEND tribunal were upheld.",
        answer=(
            "Tribunal statistics are published annually. In 2023, 98% of appeals were decided in favour of families."
        ),
    ),
    Question(
        uin="102",
        date_asked="2023-05-01",
        date_answered="2023-05-10",
        house="Commons",
        heading="Alternative Provision",
        department="Department for Education",
        asked_by="Bea Asker",
        question="To ask the Secretary of State for Education, what funding is available for alternative provision.",
        answer="Local authorities fund alternative provision from their high needs budgets.",
    ),
    Question(
        uin="HL5",
        date_asked="2024-03-01",
        date_answered="2024-03-20",
        house="Lords",
        heading="Fisheries: Quotas",
        department="Department for Environment, Food and Rural Affairs",
        asked_by="Lord Fisher",
        answered_by="Baroness Hayman",
        question="To ask His Majesty's Government what quotas apply to North Sea cod.",
        answer="Quotas for North Sea cod are set each December.",
    ),
    Question(
        uin="103",
        date_asked="2025-01-06",
        date_answered="2025-01-15",
        house="Commons",
        heading="Schools: Transport",
        department="Department for Education",
        asked_by="Cal Asker",
        question=(
            "To ask the Secretary of State for Education, what support is given to councils for school transport"
            " for children with EHC plans."
        ),
        answer="Councils must arrange free travel for eligible children with an education, health and care plan.",
    ),
]


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    """A store of a few records made for these tests."""
    store = QuestionStore.open(tmp_path_factory.mktemp("search") / "pq.db")
    store.save(RECORDS)
    yield SearchEngine(store)
    store.close()


def top_ids(engine, query, limit=3):
    return [hit.record["id"] for hit in engine.search(query, limit=limit).hits]


def test_ehc_timeliness_finds_the_seed_about_ehc_plan_timeliness_first(store):
    """On a new store of the seeds alone: seed 000, on the legal deadline for EHC plans."""
    ensure_seeded(store)
    result = SearchEngine(store).search("EHC timeliness")
    assert result.hits[0].record["source_file"] == "seeds/000_ea963a943c056c52.txt"
    assert result.confident


def test_an_acronym_finds_answers_that_spell_it_out(engine):
    """AP finds "alternative provision"."""
    assert top_ids(engine, "AP funding")[0] == "2023-05-01/102"


def test_spelled_out_words_find_answers_that_use_the_acronym(engine):
    """ "special educational needs and disabilities tribunal" finds the record that says SEND."""
    assert top_ids(engine, "special educational needs and disabilities tribunal appeals")[0] == "2024-02-01/101"


def test_a_typo_is_corrected_and_reported(engine):
    """A misspelt word is searched as the store's nearest word, and the result says so."""
    result = engine.search("tribunel appeals")
    assert ("tribunel", "tribunal") in result.corrections
    assert result.hits[0].record["id"] == "2024-02-01/101"


def test_stemming_matches_other_forms_of_a_word(engine):
    """ "quota" finds "quotas"; "funded" finds "fund"."""
    assert top_ids(engine, "quota cod")[0] == "2024-03-01/HL5"
    assert "2023-05-01/102" in top_ids(engine, "funded alternative provision")


def test_a_minister_or_members_surname_finds_their_answers(engine):
    """by-name search without a filter: the answerer's surname is searchable."""
    assert top_ids(engine, "Johnston tribunal")[0] == "2024-02-01/101"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("education from:2025", {"2025-01-06/103"}),
        ("education to:2023", {"2023-05-01/102"}),
        ("education from:2024-01 to:2024-12", {"2024-02-01/101"}),
        ("cod dept:environment", {"2024-03-01/HL5"}),
        ("by:Hayman", {"2024-03-01/HL5"}),
        ("appeals by:johnston", {"2024-02-01/101"}),
        ("house:lords", {"2024-03-01/HL5"}),
        ('"free travel"', {"2025-01-06/103"}),
    ],
)
def test_each_filter_narrows_the_results(engine, query, expected):
    """Dates, department, member, house and phrases each keep only what they name."""
    assert set(top_ids(engine, query, limit=10)) == expected


def test_an_excluded_word_drops_the_answers_holding_it(engine):
    """-transport removes the school transport answer from a search for education."""
    assert "2025-01-06/103" in top_ids(engine, "education", limit=10)
    ids = top_ids(engine, "education -transport", limit=10)
    assert "2025-01-06/103" not in ids and ids


COD = ["2024-03-01/HL5"]


@pytest.mark.parametrize(
    ("hostile", "searched_for", "ids"),
    [
        ('"unbalanced phrase', "unbalanced + phrase", []),
        ("NEAR(cod quotas)", "near + cod + quotas", COD),
        ("cod OR", "cod", COD),
        ("questions_fts:cod", "questions_fts + cod", COD),
        ("'; DROP TABLE questions; --", "drop + table + questions", []),
    ],
)
def test_search_syntax_in_a_query_is_never_a_crash_or_an_injection(engine, hostile, searched_for, ids):
    """FTS5 and SQL syntax is searched for as words, and the store is untouched."""
    before = engine.store.count()
    result = engine.search(hostile)
    assert (result.searched_for, [hit.record["id"] for hit in result.hits]) == (searched_for, ids)
    assert engine.store.count() == before


@pytest.mark.parametrize("hostile", ['"', "* ^ :", "-"])
def test_syntax_with_no_words_is_a_plain_error(engine, hostile):
    """Punctuation alone leaves nothing to search for: a QueryError with a hint, and the store untouched."""
    before = engine.store.count()
    with pytest.raises(QueryError, match="nothing to search for"):
        engine.search(hostile)
    assert engine.store.count() == before


def test_no_match_says_so_and_returns_nothing(engine):
    """Words found nowhere give no hits and no confident match."""
    result = engine.search("hovercraft jousting")
    assert (result.hits, result.confident) == ((), False)


def test_a_partial_match_is_offered_without_confidence(engine):
    """When no record holds every idea, the nearest are offered, marked not confident."""
    result = engine.search("cod tribunal")
    assert result.hits and not result.confident


def test_each_hit_carries_a_snippet_with_the_matched_words_marked(engine):
    """The snippet is the answer's best sentence with query words in bold."""
    (hit,) = engine.search("cod quotas", limit=1).hits
    assert hit.snippet == "**Quotas** for North Sea **cod** are set each December."
    assert 0 <= hit.score <= 100


def test_pages_follow_on_without_repeats(engine):
    """offset pages through the same ranking; more says whether another page exists."""
    first = engine.search("education", limit=2)
    second = engine.search("education", limit=2, offset=2)
    assert first.more
    assert not {hit.record["id"] for hit in first.hits} & {hit.record["id"] for hit in second.hits}


def test_an_empty_query_is_a_plain_error(engine):
    """Nothing to search for is a QueryError with a hint, not a crash."""
    with pytest.raises(QueryError, match="nothing to search for"):
        engine.search("   ")


def test_new_records_are_searchable_at_once_including_new_words(store):
    """The typo vocabulary follows the store: a word added after a search corrects at once."""
    engine = SearchEngine(store)
    store.save(RECORDS)
    engine.search("cod")
    store.save([Question(question="To ask about zebrafish welfare.", answer="Zebrafish welfare is protected.")])
    store.save([Question(question="To ask about zebrafish farms.", answer="Zebrafish farms are licensed.")])
    result = engine.search("zebrafsh")
    assert ("zebrafsh", "zebrafish") in result.corrections


def test_a_topic_catches_answers_that_spell_its_acronym_out(store):
    """A subscription to "EHC plans" catches "Education, Health, and Care Plans" and not fishing."""
    ehc = Question(
        uin="201",
        date_asked="2025-03-01",
        question="To ask the Secretary of State for Education, about plans.",
        answer="Education, Health, and Care Plans must be issued within 20 weeks.",
    )
    fishing = Question(uin="202", date_asked="2025-03-01", question="To ask about fishing plans.", answer="Quotas.")
    store.save([ehc, fishing])
    hits = SearchEngine(store).matches("EHC plans", [ehc.id, fishing.id])
    assert [hit.record["id"] for hit in hits] == [ehc.id]
    assert hits[0].snippet == "**Education, Health, and Care Plans** must be issued within 20 weeks."


def test_a_topic_honours_its_filters_and_exclusions(engine):
    """Topic filters and -words apply to the records it is asked about."""
    ids = [record.id for record in RECORDS]

    def caught(topic: str) -> set[str]:
        return {hit.record["id"] for hit in engine.matches(topic, ids)}

    assert caught("education from:2024") == {"2024-02-01/101", "2025-01-06/103"}
    assert caught("education -transport") == {"2024-02-01/101", "2023-05-01/102"}
    assert caught("house:lords") == {"2024-03-01/HL5"}


def test_the_vocabulary_takes_new_words_without_being_read_again_whole(store, tmp_path):
    """Another connection's new records reach the vocabulary as additions, counted as the word index counts them."""
    engine = SearchEngine(store)
    store.save(RECORDS)
    before = engine.vocabulary()
    writer = QuestionStore.open(store.path)
    writer.save([Question(question="To ask about Zebrafish welfare.", answer="Zébrafish welfare is protected.")])
    writer.save([Question(question="To ask about zebrafish farms.", answer="Zebrafish farms are licensed.")])
    writer.close()
    after = engine.vocabulary()
    assert after is before and after.rows_added == 2
    assert after.correct("zebrafsh") == "zebrafish"
    whole = Vocabulary.of(store)
    assert (after.holding((("zebrafish",),)), after.records) == (whole.holding((("zebrafish",),)), whole.records)


def test_writes_that_add_no_record_leave_the_vocabulary_alone(store):
    """Deliveries and subscriptions are written all the time by digest matching; they cost no vocabulary work."""
    engine = SearchEngine(store)
    store.save(RECORDS)
    vocabulary = engine.vocabulary()
    store.remember_query("a long query")
    assert engine.vocabulary() is vocabulary and vocabulary.rows_added == 0


def test_catching_many_topics_at_once_agrees_with_matching_each(store):
    """The batch path digest matching uses catches exactly what matches() catches, topic by topic."""
    ensure_seeded(store)
    store.save(RECORDS)
    record_ids = [record["id"] for record in store.records()]
    engine = SearchEngine(store)
    topics = ["EHC plans", "cod quotas", "tribunal -appeal", "SEND from:2024", "dept:education", "nothing like this"]
    caught = engine.catches(topics, record_ids)
    assert {topic: sorted(ids) for topic, ids in caught.items()} == {
        topic: sorted(hit.record["id"] for hit in engine.matches(topic, record_ids)) for topic in topics
    }
    assert any(caught.values())


def test_a_long_pasted_query_searches_for_a_bounded_number_of_its_rarest_ideas(engine):
    """Six hundred distinct words, repeated: at most MOST_CONCEPTS ideas are searched for, whatever the length."""
    words = " ".join(f"word{n}" for n in range(600))
    result = engine.search(f"EHC timeliness {words} {words}")
    assert len(result.searched_for.split(" + ")) <= MOST_CONCEPTS


def test_a_lone_letter_of_a_contraction_is_no_idea(engine):
    """The t of can't says nothing: "can't afford" searches for afford alone."""
    assert engine.search("families who can't afford heating").searched_for == "families + afford + heating"


def test_a_long_sentence_ranks_its_subject_above_an_answer_holding_its_filler(store):
    """The words of asking ("still", "really", "doing", "happening", "said") weigh little, so the
    answer about autism diagnosis comes first, not the one that happens to hold all the filler."""
    store.save(RECORDS)
    store.save(
        Question(
            uin=f"3{n:02d}",
            date_asked="2024-06-01",
            question=f"To ask the Government about grant {n}.",
            answer=f"The Government has set out grant {n} in its plans.",
        )
        for n in range(12)
    )
    subject = Question(
        uin="401",
        date_asked="2024-04-01",
        heading="Autism: Diagnosis",
        question=(
            "To ask the Secretary of State for Health and Social Care, how long children wait for an autism diagnosis."
        ),
        answer="Waiting times for an autism diagnosis are published monthly by NHS England.",
    )
    filler = Question(
        uin="402",
        date_asked="2025-04-01",
        heading="Roads: Potholes",
        question="To ask the Secretary of State for Transport, what the Government is doing about potholes.",
        answer="As the Minister said, the Government is still really doing all it can; repairs are happening now.",
    )
    store.save([subject, filler])
    result = SearchEngine(store).search(
        "what is the government still really doing about autism diagnosis, what is happening, what have they said"
    )
    assert result.hits[0].record["id"] == subject.id
    assert result.confident


def test_records_lacking_the_idea_that_outweighs_the_rest_do_not_crowd_out_those_holding_it(store):
    """Two dozen answers hold "going up" but not care home fees; the one about charging for care
    still comes first, because the loosening stages never let a record lack the heaviest idea."""
    store.save(RECORDS)
    store.save(
        Question(uin=f"7{n:03d}", date_asked="2024-06-01", question=f"To ask about topic {n}.") for n in range(400)
    )
    store.save(
        Question(
            uin=f"5{n:02d}",
            date_asked="2024-06-01",
            question=f"To ask about prices of item {n}.",
            answer=f"Prices of item {n} are going up this year.",
        )
        for n in range(25)
    )
    charging = Question(
        uin="601",
        date_asked="2024-05-01",
        heading="Social Services: Fees and Charges",
        question=(
            "To ask the Secretary of State for Health and Social Care, what guidance there is on charging for care."
        ),
        answer="Local authorities must follow the Care Act when charging for care.",
    )
    store.save([charging])
    assert SearchEngine(store).search("care home fees going up").hits[0].record["id"] == charging.id


def test_a_synonym_is_found_across_the_stop_words_and_lone_letters_in_it(store):
    """ "A&E" (the letters a and e) and "heat their homes" are each one idea with their synonyms,
    so the answers on accident and emergency and on fuel poverty beat newer ones holding the rest."""
    emergency = Question(
        uin="801",
        date_asked="2024-01-01",
        heading="Accident and Emergency Departments",
        question="To ask about waiting times in accident and emergency departments.",
        answer="Waiting times are published monthly.",
    )
    fuel = Question(
        uin="802",
        date_asked="2024-01-01",
        heading="Fuel Poverty",
        question="To ask about fuel poverty among families.",
        answer="Fuel poverty statistics are published.",
    )
    others = [
        Question(
            uin=f"81{n}",
            date_asked="2025-01-01",
            question=f"To ask about waiting times for surgery {n}.",
            answer="Families who cannot afford new homes may apply for help.",
        )
        for n in range(3)
    ]
    padding = [
        Question(uin=f"82{n:02d}", date_asked="2024-06-01", question=f"To ask about topic {n}.") for n in range(20)
    ]
    store.save([*RECORDS, emergency, fuel, *others, *padding])
    engine = SearchEngine(store)
    assert engine.search("A&E waiting times").hits[0].record["id"] == emergency.id
    assert engine.search("families who can't afford to heat their homes").hits[0].record["id"] == fuel.id
