"""`napkin generate`: one picture, a folder with bad pictures in it, resuming, both backends.

The embedded backend runs the real napkin.vision; a fake analyzer stands in only to make one
picture crash.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from napkin.cli import main
from napkin.generate import LOG_FILE
from tests.conftest import image_of
from tests.generate.chat_server import answer, status
from tests.generate.fakes import BUGGY_WIDTH, fake_analyze
from tests.generate.pictures import EXPECTED, good_picture, write_pictures


def invoke(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def records(folder) -> dict[str, dict]:
    out = {}
    for line in (folder / LOG_FILE).read_text().splitlines():
        rec = json.loads(line)
        out[rec["name"]] = rec
    return out


def test_one_picture(tmp_path):
    good_picture().save(tmp_path / "shot.png")
    result = invoke("generate", str(tmp_path / "shot.png"), "-o", str(tmp_path / "out" / "page.html"),
                    "--tree", str(tmp_path / "tree.json"))
    assert result.exit_code == 0, result.output
    assert "page.html (embedded, " in result.output
    assert "<!doctype html>" in (tmp_path / "out" / "page.html").read_text().lower()
    assert json.loads((tmp_path / "tree.json").read_text())["kind"] == "page"


def test_default_output_name(tmp_path):
    good_picture().save(tmp_path / "shot.png")
    assert invoke("generate", str(tmp_path / "shot.png"), "--kind", "sketch").exit_code == 0
    assert (tmp_path / "shot.html").is_file()
    (tmp_path / "pages").mkdir()
    assert invoke("generate", str(tmp_path / "shot.png"), "-o", str(tmp_path / "pages")).exit_code == 0
    assert (tmp_path / "pages" / "shot.html").is_file()


def test_a_bad_picture_is_a_clean_error(tmp_path):
    (tmp_path / "notes.png").write_text("not a picture")
    result = invoke("generate", str(tmp_path / "notes.png"))
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and "Traceback" not in result.output
    assert "notes.png" in result.output


def test_openai_flags_need_the_openai_backend(tmp_path):
    good_picture().save(tmp_path / "shot.png")
    result = invoke("generate", str(tmp_path / "shot.png"), "--model", "x", "--n", "2")
    assert result.exit_code == 1 and "--model, --n apply to the openai backend" in result.output


def test_folder_with_bad_pictures_and_resume(tmp_path):
    src = write_pictures(tmp_path / "in")
    (src / "nested").mkdir()
    good_picture((500, 300)).save(src / "nested" / "inner.png")
    out = tmp_path / "pages"

    first = invoke("generate", str(src), "-o", str(out), "--quiet")
    assert first.exit_code == 0, first.output
    # Failures are counted apart from pages made (the summary once counted them as generated).
    assert "pictures found         9" in first.output and "generated now          4\n" in first.output
    assert "input: 5" in first.output and "s per picture tried" in first.output

    recs = records(out)
    assert set(recs) == set(EXPECTED) | {"nested/inner.png"}
    for name, makes_page in EXPECTED.items():
        assert recs[name]["ok"] is makes_page, (name, recs[name])
        if makes_page:
            page = out / recs[name]["page"]
            assert page.is_file() and "<!doctype html>" in page.read_text().lower()
            assert recs[name]["backend"] == "embedded" and "total" in recs[name]["timings"]
        else:
            assert recs[name]["failure"] == "input" and recs[name]["message"]
    assert (out / "nested" / "inner.html").is_file()

    # Finished pages and refused pictures are skipped; a page deleted since is made again.
    (out / "good.html").unlink()
    second = invoke("generate", str(src), "-o", str(out), "--quiet")
    assert "skipped (done before)  8" in second.output and "generated now          1" in second.output
    assert (out / "good.html").is_file()

    # A changed picture is generated again; so is everything for another kind.
    before = (out / "blank.html").read_text()
    good_picture((700, 400)).save(src / "blank.png")
    third = invoke("generate", str(src), "-o", str(out), "--quiet")
    assert "generated now          1" in third.output and (out / "blank.html").read_text() != before
    fourth = invoke("generate", str(src), "-o", str(out), "--quiet", "--kind", "sketch")
    assert "generated now          4\n" in fourth.output and "input: 5" in fourth.output


def test_a_crash_on_one_picture_does_not_stop_the_batch(tmp_path, monkeypatch):
    monkeypatch.setattr("napkin.generate._embedded.vision_analyzer", lambda: fake_analyze)
    src = tmp_path / "in"
    src.mkdir()
    good_picture((BUGGY_WIDTH, 200)).save(src / "a_buggy.png")  # the fake analyzer crashes on it
    good_picture().save(src / "b_fine.png")
    first = invoke("generate", str(src), "--quiet")
    assert first.exit_code == 0 and "internal: 1" in first.output
    recs = records(tmp_path / "in-pages")
    assert recs["a_buggy.png"]["failure"] == "internal" and "index out of range" in recs["a_buggy.png"]["message"]
    assert recs["b_fine.png"]["ok"] and "Picture 640x400" in (tmp_path / "in-pages" / "b_fine.html").read_text()
    # An internal failure may be bad luck: the next run tries it again.
    second = invoke("generate", str(src), "--quiet")
    assert "skipped (done before)  1" in second.output and "generated now          0" in second.output
    assert "failed, retried        internal: 1 (tried again by the next run)" in second.output


def test_pages_of_pictures_sharing_a_name(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    good_picture().save(src / "home.png")
    good_picture((500, 300)).save(src / "home.jpg")
    result = invoke("generate", str(src), "--quiet")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "in-pages").glob("*.html")) == ["home.jpg.html", "home.png.html"]


def test_openai_one_picture(tmp_path, server):
    good_picture().save(tmp_path / "shot.png")
    server.actions = [answer("```html\n<!DOCTYPE html><html><body><h1>Remote</h1></body></html>\n```")]
    result = invoke("generate", str(tmp_path / "shot.png"), "-o", str(tmp_path / "page.html"), "--backend", "openai",
                    "--base-url", server.url, "--model", "test-vlm", "--api-key", "k", "--repair-rounds", "0",
                    "--set", "temperature=0.1")
    assert result.exit_code == 0, result.output
    assert "(openai, auto," in result.output and "150 tokens" in result.output
    assert "<h1>Remote</h1>" in (tmp_path / "page.html").read_text()
    assert server.requests[0].body["temperature"] == 0.1


def test_openai_from_a_config_file(tmp_path, server):
    good_picture().save(tmp_path / "shot.png")
    config = tmp_path / "napkin.toml"
    config.write_text(f'[generate]\nbackend = "openai"\nkind = "sketch"\n\n[openai]\nbase_url = "{server.url}"\n'
                      'model = "from-config"\nrepair_rounds = 0\n')
    result = invoke("generate", str(tmp_path / "shot.png"), "--config", str(config))
    assert result.exit_code == 0, result.output
    assert "(openai, sketch," in result.output and server.requests[0].body["model"] == "from-config"


def test_openai_folder_stops_when_the_backend_is_down(tmp_path, server):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(5):
        good_picture((400 + i, 300)).save(src / f"p{i}.png")
    server.default = status(503, "overloaded")
    result = invoke("generate", str(src), "-o", str(tmp_path / "out"), "--backend", "openai", "--base-url", server.url,
                    "--model", "m", "--repair-rounds", "0", "--set", "max_retries=0", "--quiet")
    assert result.exit_code == 1
    assert "stopped: the backend failed on 3 pictures in a row" in result.output and "HTTP 503" in result.output
    assert len(records(tmp_path / "out")) == 3 and len(server.requests) == 3

    # Back up: the failed pictures are tried again, and the rest done.
    server.default = answer("<html><body><p>ok</p></body></html>")
    result = invoke("generate", str(src), "-o", str(tmp_path / "out"), "--backend", "openai", "--base-url", server.url,
                    "--model", "m", "--repair-rounds", "0", "--quiet")
    assert result.exit_code == 0 and "generated now          5" in result.output
    assert len(list((tmp_path / "out").glob("*.html"))) == 5
    assert records(tmp_path / "out")["p0.png"]["key"] == "openai:m/auto"

    # Another model makes other pages: nothing is skipped.
    result = invoke("generate", str(src), "-o", str(tmp_path / "out"), "--backend", "openai", "--base-url", server.url,
                    "--model", "other", "--repair-rounds", "0", "--quiet")
    assert "generated now          5" in result.output


def test_max_megapixels_moves_the_size_limit_and_the_message_names_it(tmp_path):
    good_picture((400, 300)).save(tmp_path / "shot.png")  # 0.12 megapixels
    refused = invoke("generate", str(tmp_path / "shot.png"), "-o", str(tmp_path / "a.html"), "--max-megapixels", "0.1")
    assert refused.exit_code == 1 and "--max-megapixels" in refused.output and not (tmp_path / "a.html").exists()
    folder = invoke("generate", str(tmp_path), "-o", str(tmp_path / "pages"), "--max-megapixels", "0.1", "--quiet")
    assert "input: 1" in folder.output and "--max-megapixels" in records(tmp_path / "pages")["shot.png"]["message"]
    ok = invoke("generate", str(tmp_path / "shot.png"), "-o", str(tmp_path / "b.html"), "--max-megapixels", "0.2")
    assert ok.exit_code == 0, ok.output


@pytest.mark.browser
def test_pp_ocr_as_the_text_reader(tmp_path, renderer):
    shot = renderer.render("<body style='margin:40px;font:28px DejaVu Sans'><h1>Weekly planner</h1><p>Plan every day</p></body>")
    image_of(shot).save(tmp_path / "shot.png")
    result = invoke("generate", str(tmp_path / "shot.png"), "-o", str(tmp_path / "page.html"), "--ocr", "rapidocr")
    assert result.exit_code == 0, result.output
    html = (tmp_path / "page.html").read_text()
    assert "Weekly planner" in html and "Plan every day" in html
    wrong = invoke("generate", str(tmp_path / "shot.png"), "--backend", "openai", "--ocr", "rapidocr")
    assert wrong.exit_code == 1 and "--ocr picks the text reader" in wrong.output
