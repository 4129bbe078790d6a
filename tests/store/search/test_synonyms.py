"""Synonym groups: acronyms and spelled-out forms are one concept, both ways."""

import pytest

from store.search.synonyms import Synonyms, SynonymsError


@pytest.fixture(scope="module")
def synonyms():
    return Synonyms.load()


def test_an_acronym_brings_its_spelled_out_forms(synonyms):
    """EHC finds "education, health and care" and EHCP."""
    (concept,) = synonyms.concepts(("ehc",))
    assert {("education", "health", "and", "care"), ("ehcp",), ("ehc",)} <= set(concept.alternatives)


def test_spelled_out_words_bring_the_acronym(synonyms):
    """ "alternative provision" typed in full is one concept that also finds AP."""
    concepts = synonyms.concepts(("alternative", "provision", "places"))
    assert [concept.typed for concept in concepts] == [("alternative", "provision"), ("places",)]
    assert ("ap",) in concepts[0].alternatives


def test_a_plural_acronym_is_found(synonyms):
    """EHCPs is looked up as EHCP."""
    (concept,) = synonyms.concepts(("ehcps",))
    assert ("education", "health", "and", "care") in concept.alternatives


def test_an_unknown_word_is_a_concept_of_its_own(synonyms):
    """Words in no group are searched as they are."""
    (concept,) = synonyms.concepts(("tribunal",))
    assert concept.alternatives == (("tribunal",),)


def test_a_users_file_adds_groups(tmp_path):
    """PQBOT_SYNONYMS's groups are used as well as the bundled ones."""
    extra = tmp_path / "mine.toml"
    extra.write_text('groups = [["WASPI", "women against state pension inequality"]]')
    synonyms = Synonyms.load(extra)
    (concept,) = synonyms.concepts(("waspi",))
    assert ("women", "against", "state", "pension", "inequality") in concept.alternatives
    assert ("ehcp",) in synonyms.concepts(("ehc",))[0].alternatives


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("groups = [", "not valid TOML"),
        ('groups = "EHC"', "groups must be a list of lists"),
        ("groups = [[1, 2]]", "groups must be a list of lists"),
    ],
)
def test_a_broken_users_file_is_named_with_its_problem(tmp_path, content, message):
    """A malformed synonyms file fails with its name and what is wrong."""
    extra = tmp_path / "mine.toml"
    extra.write_text(content)
    with pytest.raises(SynonymsError, match=f"{extra}: {message}"):
        Synonyms.load(extra)
