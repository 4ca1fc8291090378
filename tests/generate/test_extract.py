from __future__ import annotations

import pytest

from napkin.generate import extract_html

DOC = "<!DOCTYPE html>\n<html>\n<head><title>t</title></head>\n<body><p>Hi</p></body>\n</html>"


def test_fenced_with_prose_around():
    reply = f"Here is your page.\n\n```html\n{DOC}\n```\n\nLet me know if you want changes."
    assert extract_html(reply) == DOC + "\n"


def test_bare_document_with_prose():
    assert extract_html(f"Sure:\n{DOC}\nThis page has a paragraph.") == DOC + "\n"


def test_unclosed_fence_from_a_cut_stream():
    cut = "```html\n<!DOCTYPE html>\n<html><body><div><p>Hel"
    assert extract_html(cut) == "<!DOCTYPE html>\n<html><body><div><p>Hel\n"


def test_partial_document_without_fence():
    assert extract_html("<html><body><h1>Title</h1><p>unfin") == "<!DOCTYPE html>\n<html><body><h1>Title</h1><p>unfin\n"


def test_fragment_is_wrapped_into_a_document():
    html = extract_html("```\n<div class='card'><h2>Plan</h2></div>\n```")
    assert html is not None
    assert html.startswith("<!DOCTYPE html>\n<html") and "<body>\n<div class='card'><h2>Plan</h2></div>\n</body>" in html
    assert '<meta charset="utf-8">' in html


def test_whole_document_beats_an_earlier_snippet():
    reply = f"The header is:\n```html\n<header>Top</header>\n```\nThe full file:\n```html\n{DOC}\n```"
    assert extract_html(reply) == DOC + "\n"


def test_separate_css_and_js_blocks_are_inlined():
    reply = (
        "```html\n<!DOCTYPE html><html><head><title>x</title></head><body><p>Hi</p></body></html>\n```\n"
        "```css\np { color: red; }\n```\n```javascript\nconsole.log(1)\n```"
    )
    html = extract_html(reply)
    assert html is not None
    assert "<style>\np { color: red; }\n</style>\n</head>" in html
    assert "<script>\nconsole.log(1)\n</script>\n</body>" in html


def test_reasoning_section_is_ignored():
    reply = "<think>Maybe a <div> with flex? Let me think.</think>\n```html\n" + DOC + "\n```"
    assert extract_html(reply) == DOC + "\n"


def test_missing_doctype_is_added():
    html = extract_html("```html\n<html><body>x</body></html>\n```")
    assert html == "<!DOCTYPE html>\n<html><body>x</body></html>\n"


def test_text_after_the_document_is_dropped():
    assert extract_html(DOC + "\n\nI used semantic tags.") == DOC + "\n"


@pytest.mark.parametrize(
    "reply",
    ["", "I cannot help with that.", "Use a < b comparisons", "```python\nprint('hi')\n```", "<think>only thinking"],
)
def test_no_html(reply):
    assert extract_html(reply) is None


def test_tilde_fence_and_uppercase_tags():
    html = extract_html("~~~HTML\n<!doctype HTML><HTML><BODY>x</BODY></HTML>\n~~~")
    assert html == "<!doctype HTML><HTML><BODY>x</BODY></HTML>\n"
