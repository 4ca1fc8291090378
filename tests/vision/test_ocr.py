"""OCR reads text that the real Chromium rendered, in the polarities and colors real pages use."""

from __future__ import annotations

import pytest

from napkin.vision import TesseractReader, analyze
from napkin.vision._ocr import parse_tsv
from napkin.vision._text import group_lines
from tests.conftest import image_of

pytestmark = pytest.mark.browser

PAGE = """<body style="margin:0;font-family:'DejaVu Sans';background:#fff">
<div style="background:#1b2a3a;color:#f0f0f0;padding:14px 40px;font-size:15px">Dashboard Settings Billing</div>
<h1 style="margin:40px;font-size:34px;color:#222">Quarterly revenue report</h1>
<p style="margin:0 40px;font-size:13px;color:#8a8f98">Figures are unaudited and rounded to thousands</p>
<button style="margin:24px 40px;font:16px 'DejaVu Sans';color:#fff;background:#e4572e;border:0;padding:9px 20px;border-radius:6px">Download</button>
</body>"""


@pytest.fixture(scope="module")
def shot(renderer):
    result = renderer.render(PAGE)
    assert result.ok, result.message
    return image_of(result)


def test_reads_dark_light_faint_and_button_text(shot):
    import numpy as np

    words = TesseractReader().read(np.asarray(shot))
    text = " ".join(w.text for w in words)
    for expected in ("Dashboard", "Settings", "Billing", "Quarterly", "revenue", "report", "unaudited", "thousands", "Download"):
        assert expected in text, (expected, text)


def test_pp_ocr_reads_the_same_page_and_plugs_into_analyze(shot):
    import numpy as np

    from napkin.vision import RapidReader

    reader = RapidReader()
    words = reader.read(np.asarray(shot))
    text = " ".join(w.text for w in words)
    for expected in ("Dashboard", "Quarterly", "revenue", "unaudited", "Download"):
        assert expected in text, (expected, text)
    # Its word boxes hold Tesseract's (PP-OCR's run a few px past the glyphs), on the same centre line.
    title = next(w for w in words if w.text == "Quarterly")
    tess = next(w for w in TesseractReader().read(np.asarray(shot)) if w.text == "Quarterly")
    (x, y, w, h), (tx, ty, tw, th) = title.box, tess.box
    assert x - 4 <= tx and tx + tw <= x + w + 4 and y - 4 <= ty and ty + th <= y + h + 4, (title.box, tess.box)
    assert abs((y + h / 2) - (ty + th / 2)) <= 4 and h <= 1.6 * th
    assert 0 < title.conf <= 100
    result = analyze(shot, kind="screenshot", reader=reader)
    assert "Quarterly revenue report" in [ln.text for ln in result.lines]


def test_lines_and_styles_are_measured(shot):
    result = analyze(shot, kind="screenshot")
    by_text = {ln.text: ln for ln in result.lines}
    title = by_text["Quarterly revenue report"]
    assert 30 <= title.font_size <= 38
    assert title.color == "#222222"
    nav = next(ln for ln in result.lines if ln.text.startswith("Dashboard"))
    assert nav.background == "#1b2a3a" and nav.color == "#f0f0f0"
    caption = next(ln for ln in result.lines if "unaudited" in ln.text)
    assert 11 <= caption.font_size <= 15
    assert result.timings["ocr"] > 0


def test_parse_tsv_keeps_confident_words_and_scales_back():
    tsv = (
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
        "5\t1\t1\t1\t1\t1\t20\t40\t60\t20\t96.5\tHello\n"
        "5\t1\t1\t1\t1\t2\t90\t40\t30\t20\t12.0\tnoise\n"
        "5\t1\t1\t1\t1\t3\t130\t40\t4\t20\t60.0\t|\n"
        "4\t1\t1\t1\t1\t0\t20\t40\t140\t20\t-1\t\n"
    )
    words = parse_tsv(tsv, min_conf=40, factor=2.0, top=100)
    assert [w.text for w in words] == ["Hello"]
    assert words[0].box == (10.0, 120.0, 30.0, 10.0)


def test_words_on_one_baseline_group_into_lines_and_far_ones_do_not():
    from napkin.vision import Word

    words = [
        Word("Home", (10, 10, 40, 12), 95), Word("page", (56, 10, 36, 15), 95),
        Word("Pricing", (300, 10, 50, 15), 95), Word("Next", (10, 60, 30, 12), 95),
    ]
    assert [ln.text for ln in group_lines(words)] == ["Home page", "Pricing", "Next"]


def test_missing_language_data_is_the_machine_not_the_picture(shot):
    # A DependencyError stops a batch with the install command; recording it as a bad picture
    # would make every resumed run skip that picture for good.
    import numpy as np

    from napkin.errors import DependencyError

    with pytest.raises(DependencyError, match="tesseract-ocr-xyz"):
        TesseractReader(lang="xyz").read(np.asarray(shot))
