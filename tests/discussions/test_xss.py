# ruff: noqa: F811  (pytest fixtures imported from the groups tests)
"""Hostile Markdown and HTML in posts: nothing that runs script survives.

The assertions parse the sanitised HTML (the stored ``body_html`` and the live
event fragment) instead of searching for strings, so an attribute or URL that
slipped through in another spelling is still caught.
"""

import html
import re
from html.parser import HTMLParser

import pytest

from discussions import events, services
from discussions.models import Post
from tests.groups.conftest import add_member, group, make_group, owner  # noqa: F401

CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<img src=`javascript:alert(1)`>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<a href="javascript:alert(1)">klik</a>',
    '<a href="JaVaScRiPt:alert(1)">klik</a>',
    '<a href=" javascript:alert(1)">klik</a>',
    '<a href="jav&#x09;ascript:alert(1)">klik</a>',
    '<a href="jav\tascript:alert(1)">klik</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">k</a>',
    '<a href="&#x6A;avascript:alert(1)">klik</a>',
    '<a href="vbscript:msgbox(1)">klik</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">klik</a>',
    '<a href="https://ok.example" onclick="alert(1)">klik</a>',
    '<a href="https://ok.example" onmouseover=alert(1)>klik</a>',
    '<a href="https://ok.example" style="position:fixed;top:0">klik</a>',
    "[klik](javascript:alert(1))",
    "[klik](JAVASCRIPT:alert(1))",
    "[klik](javascript&#58;alert(1))",
    "[klik](<javascript:alert(1)>)",
    "[klik](data:text/html,<script>alert(1)</script>)",
    "[klik][1]\n\n[1]: javascript:alert(1)",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    "![x](https://tracker.example/pixel.png)",
    '![x"onerror="alert(1)](https://x.example/a.png)',
    '[x](https://x.example/"onmouseover="alert(1))',
    '[x](https://x.example/ "title" onclick=alert(1))',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onclick="alert(1)">klik</p>',
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">go</button>',
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<style>@import 'javascript:alert(1)';</style>",
    '<base href="javascript:alert(1)//">',
    "<marquee onstart=alert(1)>",
    "<isindex action=javascript:alert(1) type=image>",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<td background="javascript:alert(1)">x</td>',
    "<!--<img src=x onerror=alert(1)>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "    <script>alert(1)</script>",
    "> <script>alert(1)</script>",
    "- <img src=x onerror=alert(1)>",
    "| a | b |\n|---|---|\n| <script>alert(1)</script> | <img src=x onerror=alert(1)> |",
    "**<script>alert(1)</script>**",
    "_<a href=javascript:alert(1)>x</a>_",
    "<a href='https://ok.example'\nonclick='alert(1)'>x</a>",
    "<a/href=javascript:alert(1)>x</a>",
    "<a href=javascript:alert(1)//https://ok.example>x</a>",
    "\x00<script>alert(1)</script>",
    "<scr\x00ipt>alert(1)</script>",
    "<svg><a xlink:href=javascript:alert(1)><text x=20 y=20>x</text></a></svg>",
    '<a href="#" onclick="alert(1)">x</a>',
    '<a href="mailto:iemand@provincie.example?subject=x" onclick=alert(1)>mail</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<template><script>alert(1)</script></template>",
    "@eigenaar <script>alert(1)</script>",
]

FORBIDDEN_TAGS = {
    "script", "style", "iframe", "object", "embed", "img", "svg", "math", "form", "input",
    "button", "video", "audio", "source", "meta", "link", "base", "body", "html", "frame",
    "frameset", "template", "noscript", "marquee", "isindex", "textarea", "select",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}
C0_AND_SPACE = "".join(chr(code) for code in range(0x21))


class _Inspector(HTMLParser):
    def __init__(self, allowed_tags=frozenset()):
        super().__init__(convert_charrefs=True)
        self.allowed_tags = allowed_tags
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS - self.allowed_tags:
            self.problems.append(f"tag <{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc", "formaction", "background"}:
                self.problems.append(f"attribute {name}")
            if name in {"href", "src", "action", "xlink:href", "data"} and value is not None:
                self._check_url(value)

    def _check_url(self, value: str):
        # As the WHATWG URL parser reads it: outer C0 controls and spaces trimmed, tabs and
        # newlines removed anywhere; then a scheme is letters, digits, + - . before a colon.
        trimmed = html.unescape(value).strip(C0_AND_SPACE)
        url = re.sub(r"[\t\n\r]", "", trimmed).lower()
        found = re.match(r"([a-z][a-z0-9+.-]*):", url)
        if found and found.group(1) not in SAFE_SCHEMES:
            self.problems.append(f"url {value!r}")


def dangers(fragment: str, allowed_tags=frozenset()) -> list[str]:
    inspector = _Inspector(allowed_tags)
    inspector.feed(fragment)
    inspector.close()
    return inspector.problems


def test_the_inspector_itself_catches_what_it_looks_for():
    assert dangers('<a href="jav&#x09;ascript:alert(1)">x</a>')
    assert dangers('<a href=" &#x0A;javascript:alert(1)">x</a>')
    assert not dangers('<a href="jav ascript:alert(1)">x</a>')  # a space ends the scheme
    assert dangers("<p onclick=x>y</p>")
    assert dangers("<img src=x>")
    assert not dangers('<a href="https://ok.example" rel="nofollow">x</a>')


@pytest.fixture
def thread(group, owner):
    return services.create_thread(author=owner, group=group, title="Veilig?", body="Begin")


@pytest.mark.django_db
@pytest.mark.parametrize("payload", CORPUS)
def test_hostile_post_stores_and_renders_nothing_that_runs(payload, thread, owner, settings):
    settings.KRING_POSTS_PER_MINUTE = 0
    post = services.create_post(author=owner, thread=thread, body=payload)
    post.refresh_from_db()
    assert dangers(post.body_html) == [], post.body_html
    live = events.render_post(
        events.posts_for_display(Post.objects.filter(pk=post.pk))[0], thread, open_board=True
    )
    # The fragment's own reaction form and buttons are ours; nothing else may appear.
    assert dangers(live, allowed_tags={"form", "button"}) == [], live
    # Markup from the author may be shown as text, never as markup.
    assert "<script" not in post.body_html.lower()


@pytest.mark.django_db
def test_links_keep_their_text_and_get_nofollow(thread, owner):
    post = services.create_post(author=owner, thread=thread, body="[plan](https://ok.example/plan)")
    assert 'href="https://ok.example/plan"' in post.body_html
    assert "nofollow" in post.body_html and "noopener" in post.body_html


@pytest.mark.django_db
def test_code_blocks_are_kept_as_code(thread, owner):
    post = services.create_post(author=owner, thread=thread, body="```\n<b>x</b> & y\n```")
    assert "<pre><code>&lt;b&gt;x&lt;/b&gt; &amp; y\n</code></pre>" in post.body_html
