"""Text made safe for Slack: escaping, bold matches, links, and cutting at natural boundaries."""

from bot.compose.mrkdwn import ELLIPSIS, bold_matches, clip, escape, escape_inside_formatting, link, pieces, unescape


def test_escape_writes_slacks_control_characters_as_entities():
    """&, < and > become entities, so <!channel> and <url|label> show as typed and do nothing."""
    assert escape("A&E <!channel> <https://evil.example|click>") == (
        "A&amp;E &lt;!channel&gt; &lt;https://evil.example|click&gt;"
    )


def test_escape_leaves_an_entity_in_the_text_visible_as_written():
    """Text that already holds &lt; is shown as &lt;, not as <."""
    assert escape("&lt;") == "&amp;lt;"


def test_unescape_undoes_escape():
    """What Slack sends escaped is read as typed, &amp; last so &amp;lt; stays &lt;."""
    assert unescape("A&amp;E &lt;b&gt; &amp;lt;") == "A&E <b> &lt;"


def test_bold_matches_turns_search_marks_into_slack_bold():
    """**EHC plan** from the search snippet becomes *EHC plan*."""
    assert bold_matches("an **EHC plan**, the **timeliness**") == "an *EHC plan*, the *timeliness*"


def test_link_percent_encodes_characters_that_would_end_the_link():
    """A | or > in an address cannot change the link's label or target."""
    url = "https://questions-statements.parliament.uk/detail/2024-03-01/77|<!channel>"
    assert link(url, "Official page") == (
        "<https://questions-statements.parliament.uk/detail/2024-03-01/77%7C%3C!channel%3E|Official page>"
    )


def test_link_refuses_anything_but_a_web_address():
    """No link for a missing address or another scheme."""
    assert link(None, "x") is None
    assert link("javascript:alert(1)", "x") is None
    assert link("https://a.example/with space", "x") is None


def test_clip_cuts_at_a_word_and_says_so():
    """Cut text ends at a word boundary with an ellipsis, within the limit."""
    clipped = clip("one two three four", 12)
    assert clipped == "one two" + ELLIPSIS
    assert clip("short", 12) == "short"


def test_clip_never_cuts_inside_an_entity():
    """A hard cut backs off before a half-written &amp;."""
    clipped = clip("x" * 8 + "&amp;" + "y" * 10, 12)
    assert clipped == "x" * 8 + ELLIPSIS


def test_pieces_break_at_paragraphs_first():
    """Pieces end at paragraph breaks where a paragraph fits."""
    text = "First paragraph here.\n\nSecond paragraph, a little longer.\n\nThird."
    assert pieces(text, 40) == ["First paragraph here.", "Second paragraph, a little longer.", "Third."]


def test_pieces_break_at_sentences_then_words():
    """A paragraph too long for one piece is broken after a sentence, then between words."""
    assert pieces("One sentence. Another sentence here.", 20) == ["One sentence.", "Another sentence", "here."]


def test_pieces_keep_every_word_within_the_limit():
    """However long, no piece is over the limit and no word is lost."""
    text = " ".join(f"word{n}" for n in range(2000)) + " " + "z" * 5000
    parts = pieces(text, 300)
    assert all(len(part) <= 300 for part in parts)
    assert "".join(parts).replace(" ", "") == text.replace(" ", "")


def test_text_inside_formatting_has_slacks_formatting_characters_swapped_for_look_alikes():
    """*, _, ~ and ` become ∗ ˍ ∼ ˋ, and <, > and & entities, so nothing in it is read as markup."""
    assert escape_inside_formatting("*Bold* _it_ ~gone~ `code` <!here>") == ("∗Bold∗ ˍitˍ ∼gone∼ ˋcodeˋ &lt;!here&gt;")


def test_escape_keeps_formatting_characters_so_web_addresses_still_work():
    """Plain text outside formatting keeps _ and ~, as in https://example.gov.uk/file_name~1.pdf."""
    assert escape("https://example.gov.uk/file_name~1.pdf") == "https://example.gov.uk/file_name~1.pdf"


def test_bold_matches_keep_their_bold_whatever_the_marked_words_hold():
    """A marked word holding * or _ cannot end its own bold early: they become look-alikes."""
    assert bold_matches("the **a*b_c** plan") == "the *a∗bˍc* plan"
