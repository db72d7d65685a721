"""Highlighting and word handling: pure functions, no database."""

from hub.search.backends import KINDS, FallbackSearch, from_sentinels, plain, stem, words


def test_forged_or_unbalanced_sentinels_never_leave_html_open():
    html = from_sentinels("<b>a</b> [s]x[e] [e] y [s]z", "[s]", "[e]")
    assert html == "&lt;b&gt;a&lt;/b&gt; <mark>x</mark>  y <mark>z</mark>"


def test_stems_are_prefixes_a_like_can_find():
    assert stem("vergaderingen") == stem("vergadering") == "vergader"
    assert stem("Fietsen") == "fiets"
    # Snowball folds the diaeresis; only the prefix the text really has is kept.
    assert stem("ideeën") == "idee"
    assert stem("coördinatie") == "coördinatie"


def test_query_words_are_distinct_and_bounded():
    assert words("De fiets, de FIETS en a b") == (["de", "fiets", "en"], [])
    assert len(words(" ".join(f"woord{n}" for n in range(50)))[0]) == 8


def test_query_words_follow_the_web_search_syntax():
    assert words('"fiets en trein" -bus or auto') == (["fiets", "en", "trein", "auto"], ["bus"])


def test_markdown_marks_are_left_out_of_excerpts():
    assert (
        plain("# Kop\n> citaat\n- punt met **vet** en `code`") == "Kop citaat punt met vet en code"
    )


def test_the_fallback_highlights_word_forms_after_escaping():
    engine = FallbackSearch("vergaderingen")

    class Idea:
        title = "<b>Vergadering</b> & meer"
        body = "Elke vergadering, ook de vergaderingen."

    assert (
        engine.title_html(KINDS["ideas"], Idea)
        == "&lt;b&gt;<mark>Vergadering</mark>&lt;/b&gt; &amp; meer"
    )
    assert engine.excerpt_html(KINDS["ideas"], Idea) == (
        "Elke <mark>vergadering</mark>, ook de <mark>vergaderingen</mark>."
    )


def test_the_fallback_excerpt_is_cut_around_the_first_match():
    engine = FallbackSearch("vergadering")

    class Post:
        body = "woord " * 200 + "de vergadering " + "slot " * 200

    excerpt = engine.excerpt_html(KINDS["posts"], Post)
    assert excerpt.startswith("… ") and excerpt.endswith(" …")
    assert "<mark>vergadering</mark>" in excerpt
    assert len(excerpt) < 300


def test_a_query_of_only_punctuation_matches_nothing():
    assert FallbackSearch("!!! ? -").is_empty
