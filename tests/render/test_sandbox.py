"""The sandbox against hostile pages, in the real Chromium. Each case must fail cleanly and the
pool must go on rendering the next page."""

from __future__ import annotations

import http.server
import os
import threading
import time
from collections.abc import Iterator

import psutil
import pytest
from PIL import Image

from napkin.render import ChromiumRenderer, RenderLimits
from tests.conftest import has_color, image_of

pytestmark = pytest.mark.browser

GOOD = "<h1 style='color:#0a0'>still rendering</h1>"


@pytest.fixture(scope="module")
def strict() -> Iterator[ChromiumRenderer]:
    """Short limits so hostile pages fail fast."""
    with ChromiumRenderer(concurrency=2, limits=RenderLimits(timeout_s=3, max_height=5000, max_html_bytes=2_000_000)) as r:
        yield r


def assert_still_renders(r: ChromiumRenderer) -> None:
    good = r.render(GOOD)
    assert good.ok, good.message
    assert [e.text for e in good.elements if e.text] == ["still rendering"]


def test_endless_script_times_out(strict):
    t = time.perf_counter()
    r = strict.render("<p>a</p><script>while (true) {}</script>")
    assert r.failure == "timeout" and "3 s" in r.message
    assert time.perf_counter() - t < 15
    assert_still_renders(strict)


def test_endless_script_after_load_times_out(strict):
    r = strict.render("<p>a</p><script>addEventListener('load', () => { while (true) {} })</script>")
    assert r.failure == "timeout"
    assert_still_renders(strict)


def test_interval_flood_still_renders(strict):
    flood = "<p id=x>a</p><script>for (let i = 0; i < 2000; i++) setInterval(() => { x.textContent = Math.random() }, 0)</script>"
    r = strict.render(flood)
    assert r.ok, r.message
    assert_still_renders(strict)


def test_very_tall_page_is_cut(strict):
    r = strict.render("<body style='margin:0'><div style='height:100000px;background:linear-gradient(red,blue)'>tall</div></body>")
    assert r.ok and r.truncated
    assert r.page_height == 100000 and r.height == 5000
    assert image_of(r).size == (1280, 5000)
    assert any(w.startswith("truncated") for w in r.warnings)


def test_huge_html_is_refused_before_the_browser(strict):
    r = strict.render("<p>" + "x" * 50_000_000 + "</p>")
    assert r.failure == "too_large" and "50.0 MB" in r.message
    assert_still_renders(strict)


def test_invalid_bytes_render_with_a_warning(strict):
    r = strict.render(b"<p>caf\xe9 \xff\xfe ok</p>")
    assert r.ok
    assert r.warnings and r.warnings[0].startswith("invalid_utf8")
    assert next(e.text for e in r.elements if e.tag == "p").endswith("ok")


def test_declared_charset_is_honoured(strict):
    r = strict.render("<meta charset='iso-8859-1'><p>café</p>".encode("latin-1"))
    assert r.ok and not r.warnings
    assert next(e.text for e in r.elements if e.tag == "p") == "café"


def test_script_errors_are_reported(strict):
    r = strict.render("<p>x</p><script>console.error('boom'); console.log('fine'); console.error('n', 42, {a: 1}, null); undefinedFunction()</script>")
    assert r.ok
    assert r.console_errors == ["boom", "n 42 Object null"]
    assert len(r.page_errors) == 1 and r.page_errors[0].startswith("ReferenceError: undefinedFunction is not defined")


def test_dialogs_are_dismissed_not_waited_for(strict):
    r = strict.render("<p id=x>a</p><script>alert('hi'); x.textContent = confirm('sure?') + ' ' + prompt('name?')</script>")
    assert r.ok, r.message
    assert next(e.text for e in r.elements if e.tag == "p") == "false null"


def test_the_screen_is_the_viewport(strict):
    from napkin.render import RenderOptions, parse_viewport

    page = "<p id=x></p><script>x.textContent = [screen.width, screen.height, matchMedia('(device-width: 390px)').matches].join(' ')</script>"
    r = strict.render(page, RenderOptions(viewport=parse_viewport("mobile")))
    assert next(e.text for e in r.elements if e.tag == "p") == "390 844 true"


def test_the_window_drawn_small_while_loading_is_invisible_to_the_page(strict):
    # The engine draws loading frames at a quarter scale; the page must still see its own
    # window, pixel ratio and zoom.
    from napkin.render import RenderOptions, parse_viewport

    page = ("<p id=x></p><script>x.textContent = [innerWidth, innerHeight, devicePixelRatio, visualViewport.scale,"
            " matchMedia('(resolution: 2dppx)').matches].join(' ')</script>")
    r = strict.render(page, RenderOptions(viewport=parse_viewport("mobile", device_scale_factor=2)))
    assert r.ok, r.message
    assert next(e.text for e in r.elements if e.tag == "p") == "390 844 2 1 true"


_CORNER = ("<body style='margin:0;background:#ccc'><div style='position:relative;height:{h}px'>"
           "<div style='position:absolute;right:0;bottom:0;width:12px;height:12px;background:#0f0'></div></div></body>")


@pytest.mark.parametrize(("viewport", "dsf", "height", "scale"), [
    ("desktop", 1.0, 300, 1.0),    # shorter than the window: the window as it is, no clip
    ("desktop", 1.0, 2000, 1.0),   # taller: beyond the viewport
    ("desktop", 1.0, 2000, 0.5),   # drawn smaller than the page
    ("mobile", 2.0, 1500, 1.0),    # two device pixels a CSS pixel
])
def test_captures_are_the_same_with_the_small_loading_window(monkeypatch, viewport, dsf, height, scale):
    # Captures must not depend on the scale the window is drawn at while pages load (Chromium's
    # capture sets its own): the same pixels, and the page's bottom-right corner in the picture.
    from napkin.render import RenderOptions, _chromium, parse_viewport

    options = RenderOptions(viewport=parse_viewport(viewport, device_scale_factor=dsf), image_scale=scale)
    page = _CORNER.format(h=height)
    with ChromiumRenderer(concurrency=1) as r:
        small = r.render(page, options)
    full_metrics = _chromium._metrics

    def without_scale(vp):  # type: ignore[no-untyped-def]
        metrics = full_metrics(vp)
        metrics.pop("scale", None)
        return metrics

    monkeypatch.setattr(_chromium, "_metrics", without_scale)
    with ChromiumRenderer(concurrency=1) as r:
        plain = r.render(page, options)
    assert small.ok and plain.ok, (small.message, plain.message)
    a, b = image_of(small).convert("RGB"), image_of(plain).convert("RGB")
    assert a.size == b.size == (small.width, small.height)
    assert a.tobytes() == b.tobytes()
    bottom = round(height * dsf * scale)  # the page's bottom edge in the picture
    assert has_color(a.crop((a.width - 3, bottom - 3, a.width, bottom)), (0, 255, 0))
    assert not has_color(a.crop((0, 0, a.width - 12 * dsf * scale, a.height)), (0, 255, 0))


def test_pages_without_javascript():
    page = """<p id=x>static</p><p id=y>img</p><img src=/missing.png onerror="y.textContent = 'handler'">
    <script>x.textContent = 'scripted'</script><a href="javascript:alert(1)">link</a>"""
    with ChromiumRenderer(concurrency=1, limits=RenderLimits(javascript=False, timeout_s=10)) as r:
        results = [r.render(page) for _ in range(2)]  # navigated, then written into the same document
    for result in results:
        assert result.ok, result.message
        assert [e.text for e in result.elements if e.tag == "p"] == ["static", "img"]
        assert result.console_errors == []  # the policy's refusals are not the page's errors


def test_scripts_stay_off_after_a_page_navigates_itself():
    # A refresh to a blocked address leaves the window on an error page, which has no policy:
    # the next page must get a fresh document with it, not be written into that one.
    leaving = "<meta http-equiv=refresh content='1;url=http://elsewhere.example/'><p>leaving</p>"
    scripted = "<p id=x>static</p><script>x.textContent = 'scripted'</script>"
    with ChromiumRenderer(concurrency=1, limits=RenderLimits(javascript=False, timeout_s=10)) as r:
        r.render(leaving)
        time.sleep(1.5)  # the refresh comes a second later, after the render
        results = [r.render(scripted) for _ in range(2)]
    for result in results:
        assert result.ok, result.message
        assert [e.text for e in result.elements if e.tag == "p"] == ["static"]


def test_a_consumer_that_stops_early_loses_no_slot():
    with ChromiumRenderer(concurrency=1, limits=RenderLimits(timeout_s=10)) as r:
        slow = "<p>n</p><script>let t = Date.now(); while (Date.now() - t < 300) {}</script>"
        for result in r.render_many([slow] * 6):
            assert result.ok
            break  # in-flight renders are cancelled
        assert_still_renders(r)


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_closing_leaves_no_browser_process():
    with ChromiumRenderer(concurrency=2) as r:
        assert_still_renders(r)
        group = r.core._browser.pid  # the browser leads its own process group
        family = [p.pid for p in psutil.Process().children(recursive=True) if os.getpgid(p.pid) == group]
        assert len(family) >= 3  # the browser, a zygote, a renderer at least
    deadline = time.monotonic() + 5  # a killed process takes a moment to exit
    while time.monotonic() < deadline and not all(_gone(pid) for pid in family):
        time.sleep(0.05)
    assert [pid for pid in family if not _gone(pid)] == []


class _Counter(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self) -> None:  # noqa: N802
        type(self).hits += 1
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"hello")

    def log_message(self, *args: object) -> None:
        pass


def test_no_request_leaves_the_browser(strict, tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Counter)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    red = tmp_path / "red.png"
    Image.new("RGB", (200, 200), (255, 0, 0)).save(red)
    base = f"http://127.0.0.1:{port}"
    page = f"""<html><head><link rel=stylesheet href="{base}/style.css">
    <style>@font-face {{ font-family: X; src: url({base}/font.woff2) }} body {{ font-family: X }}</style></head><body>
    <img src="{base}/img.png"><img id=local src="file://{red}"><iframe src="file:///etc/hostname"></iframe>
    <div style="background-image: url({base}/bg.png); width: 50px; height: 50px"></div>
    <script>
      fetch("{base}/fetch").catch(() => {{}});
      new WebSocket("ws://127.0.0.1:{port}/ws");
      navigator.sendBeacon("{base}/beacon", "x");
      const x = new XMLHttpRequest(); x.open("GET", "https://example.com/xhr"); x.send();
    </script></body></html>"""
    try:
        r = strict.render(page)
        time.sleep(0.5)  # let anything that escaped arrive
    finally:
        server.shutdown()
        server.server_close()
    assert r.ok, r.message
    assert _Counter.hits == 0
    blocked = " ".join(r.blocked_requests)
    for path in ("style.css", "img.png", "bg.png", "fetch", "/ws", "beacon", "example.com/xhr"):
        assert path in blocked, path
    # The file:// image never loaded: no red pixel anywhere.
    assert not has_color(image_of(r), (255, 0, 0))


def test_popups_are_closed():
    with ChromiumRenderer(concurrency=1) as r:
        page = "<p>x</p><a id=a href='https://example.com' target=_blank>x</a><script>window.open('about:blank'); a.click()</script>"
        result = r.render(page)
        assert result.ok
        time.sleep(0.5)
        targets = r._run(r.core._send("Target.getTargets"))["targetInfos"]
        ours = {slot.context for slot in r.core._contexts.values()}
        pages = [t for t in targets if t["type"] == "page" and t.get("browserContextId") in ours]
        assert len(pages) == 1, pages  # the slot's own page, nothing it opened
        assert_still_renders(r)


def _chromium_children(renderer_only: bool) -> list[psutil.Process]:
    found = []
    for p in psutil.Process().children(recursive=True):
        try:
            cmd = " ".join(p.cmdline())
        except psutil.Error:
            continue
        if "chromium" not in cmd:
            continue
        if renderer_only == ("--type=renderer" in cmd) and (renderer_only or "--type=" not in cmd):
            found.append(p)
    return found


def _kill_later(renderer_only: bool, delay: float) -> threading.Thread:
    def kill() -> None:
        time.sleep(delay)
        for p in _chromium_children(renderer_only):
            p.kill()

    t = threading.Thread(target=kill, daemon=True)
    t.start()
    return t


def test_crashed_renderer_is_reported_and_replaced():
    with ChromiumRenderer(concurrency=1, limits=RenderLimits(timeout_s=20)) as r:
        assert_still_renders(r)
        killer = _kill_later(renderer_only=True, delay=1.0)
        t = time.perf_counter()
        result = r.render("<p>a</p><script>while (true) {}</script>")
        killer.join()
        assert result.failure == "crashed", result.message
        assert time.perf_counter() - t < 10  # noticed at once, not at the time limit
        assert_still_renders(r)


def test_killed_browser_is_relaunched_and_work_goes_on():
    with ChromiumRenderer(concurrency=2, limits=RenderLimits(timeout_s=20)) as r:
        slow = "<p>n</p><script>let t = Date.now(); while (Date.now() - t < 150) {}</script>"
        killer = _kill_later(renderer_only=False, delay=1.0)
        results = list(r.render_many([slow] * 32 + [GOOD]))  # 2.4 s at least: the kill lands mid-batch
        killer.join()
        assert r.core.stats["browser_launches"] == 2
        # Pages caught in the crash are retried once on the new browser.
        assert all(x.ok for x in results), [x.failure for x in results]
        assert [e.text for e in results[-1].elements if e.text] == ["still rendering"]


def test_a_batch_of_bad_pages_keeps_its_order(strict):
    pages = [GOOD, "<script>while(1){}</script>", "<p>" + "y" * 3_000_000, b"\xff\xfe<p>x", GOOD]
    results = list(strict.render_many(pages))
    assert [x.failure for x in results] == [None, "timeout", "too_large", None, None]


def test_asset_dirs_serve_files_but_not_outside(tmp_path):
    (tmp_path / "assets").mkdir()
    Image.new("RGB", (30, 20), (0, 0, 255)).save(tmp_path / "assets" / "logo.png")
    secret = tmp_path / "secret.png"
    Image.new("RGB", (30, 20), (255, 0, 0)).save(secret)
    with ChromiumRenderer(concurrency=1, asset_dirs=[tmp_path / "assets"]) as r:
        result = r.render("<img id=a src='/logo.png'><img id=b src='/../secret.png'><img id=c src='/%2e%2e/secret.png'>")
    imgs = {e.attrs["id"]: e for e in result.elements if e.tag == "img"}
    assert imgs["a"].attrs["natural"] == "30x20"
    assert imgs["b"].attrs["natural"] == imgs["c"].attrs["natural"] == "1920x1080"  # placeholders
    assert has_color(image_of(result), (0, 0, 255)) and not has_color(image_of(result), (255, 0, 0))
