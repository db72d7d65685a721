import pytest

from hub.markdown import render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[klik](javascript:alert(1))",
    "[klik](JaVaScRiPt:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onclick="alert(1)">klik</p>',
    "![x](https://tracker.example/pixel.png)",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<form action="https://evil.example"><input name=q></form>',
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_input_leaves_no_script_handler_or_dangerous_url(payload):
    html = render_markdown(payload).lower()
    for forbidden in (
        "<script",
        "onerror",
        "onload",
        "onclick",
        "javascript:",
        "data:",
        "<iframe",
        "<img",
        "<svg",
        "style=",
        "<form",
        "<input",
    ):
        assert forbidden not in html, (payload, html)


def test_links_are_kept_with_nofollow():
    html = render_markdown("Zie [de visie](https://provincie.example/visie).")
    assert 'href="https://provincie.example/visie"' in html
    assert 'rel="nofollow noopener noreferrer"' in html


def test_ordinary_markdown_survives():
    html = render_markdown("**vet** en *schuin*\n\n- een\n- twee\n\n```\ncode()\n```")
    assert "<strong>vet</strong>" in html
    assert "<em>schuin</em>" in html
    assert "<li>een</li>" in html
    assert "<code>code()\n</code>" in html


def test_user_headings_never_outrank_the_page():
    html = render_markdown("# Groot\n\n## Kleiner")
    assert "<h1>" not in html and "<h2>" not in html
    assert html.count("<h3>") == 2
