"""The Chromium render engine: one async core, a thin sync facade over it.

One browser process driven over its DevTools pipe (`_cdp.py`), a pool of slots (a browser
context with one page each) reused across renders and recycled every few hundred pages. Every
request is paused by the protocol's Fetch domain: the page and Napkin's local assets are served,
the rest is blocked; a dead proxy and a host resolver that resolves nothing stand behind it in
case anything slips past interception. A page that hangs, crashes its renderer or kills the
whole browser yields a failed `Render`, and the pool replaces what broke and goes on.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import os
import re
import shutil
import threading
import time
from collections import deque
from collections.abc import AsyncGenerator, Awaitable, Coroutine, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from napkin import __version__
from napkin._files import write_atomic
from napkin.errors import ConfigError, DependencyError, RenderError
from napkin.render._assets import (
    DEFAULT_IMAGE,
    ORIGIN,
    PAGE_PREFIX,
    AssetServer,
    placeholder_data_template,
)
from napkin.render._cdp import Browser, ProtocolError, TargetClosed
from napkin.render._types import (
    Element,
    Render,
    RenderLimits,
    RenderOptions,
    TextBox,
    failed,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

# Debian's /usr/bin/chromium is a shell wrapper; the binary behind it starts faster and quieter.
# Chromium's headless shell first: the same Blink and Skia without the browser's UI layers, and
# less CPU a page (about a fifth on the real pages). The full browser is the fallback;
# benchmarks/browser_parity.py compares the two.
_CANDIDATES = (
    "/usr/lib/chromium/chromium-headless-shell",
    "chromium-headless-shell",
    "/usr/lib/chromium/chromium",
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)
_MAX_MESSAGES = 50  # console and page errors kept per page
_MAX_BLOCKED = 200

_LAUNCH_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--hide-scrollbars",
    "--font-render-hinting=none",
    # Defence in depth: should a request ever get past interception (WebSockets, WebRTC, a
    # worker's fetch), it meets a proxy that does not exist and a resolver that resolves
    # nothing. The engine talks to the browser over a pipe, so it is not affected.
    "--proxy-server=http://127.0.0.1:9",
    "--proxy-bypass-list=<-loopback>",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
    # Throughput on a small CPU budget (benchmarks/render_throughput.py): compositing in the
    # browser process saves a process hop per frame; one raster thread per renderer avoids
    # oversubscribing two cores; paint holding and back/forward caching only add work here.
    "--in-process-gpu",
    "--num-raster-threads=1",
    "--disable-features=PaintHolding,BackForwardCache,RenderDocument,"
    # What an automated browser should not do on its own (the set Playwright also turns off):
    # upgrade our http:// page origin to https, translate, lazy-load frames, cast, update.
    "HttpsUpgrades,Translate,LazyFrameLoading,AutoExpandDetailsElement,MediaRouter,DialMediaRouteProvider,"
    "GlobalMediaControls,CertificateTransparencyComponentUpdater,OptimizationHints,"
    # All frames in the page's renderer, so the page's request interception sees theirs too.
    "IsolateOrigins,site-per-process",
    "--disable-site-isolation-trials",
    "--headless",
    "--disable-field-trial-config",
    "--disable-dev-shm-usage",  # containers give /dev/shm 64 MB
    "--disable-breakpad",
    "--disable-hang-monitor",
    "--disable-ipc-flooding-protection",
    "--disable-client-side-phishing-detection",
    "--disable-component-extensions-with-background-pages",
    # Four pages render at once, only one of them "in front": none may be throttled.
    "--disable-background-timer-throttling",
    "--disable-backgrounding-occluded-windows",
    "--disable-renderer-backgrounding",
    "--force-color-profile=srgb",
    "--metrics-recording-only",
    "--password-store=basic",
    "--use-mock-keychain",
    "--no-service-autorun",
    "--lang=en-US",
    "--accept-lang=en-US",
    # A mouse, not a touch screen, for (hover:) and (pointer:) media queries, as under Playwright.
    "--blink-settings=primaryHoverType=2,availableHoverTypes=2,primaryPointerType=4,availablePointerTypes=4",
]


# The fonts pages are rendered with. "reference" is DejaVu only (plus the handwriting fonts
# sketches use): the fonts Design2Code's reference screenshots were rendered with, and the same
# on every machine with these Debian packages, so renders are comparable across machines.
_REFERENCE_FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/truetype/humor-sans",
    "/usr/share/fonts/opentype/comic-neue",
    "/usr/share/fonts/truetype/fifthhorseman",
)


def _fontconfig_env(fonts: str) -> dict[str, str] | None:
    """Environment for Chromium that limits fontconfig to the reference fonts, or None for the system's."""
    if fonts == "system":
        return None
    if fonts != "reference":
        raise ConfigError(f"fonts must be 'reference' or 'system', not {fonts!r}")
    dirs = [d for d in _REFERENCE_FONT_DIRS if Path(d).is_dir()]
    if not dirs or not Path(dirs[0]).name == "dejavu":
        log.warning("DejaVu fonts are missing (apt-get install fonts-dejavu-core); rendering with the system fonts")
        return None
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "napkin" / "fontconfig"
    cache.mkdir(parents=True, exist_ok=True)
    conf = cache / "fonts.conf"
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n<fontconfig>\n'
        + "".join(f"  <dir>{d}</dir>\n" for d in dirs)
        + f"  <cachedir>{cache / 'cache'}</cachedir>\n"
        + '  <include ignore_missing="yes">/etc/fonts/conf.d</include>\n</fontconfig>\n'
    )
    if not conf.exists() or conf.read_text() != text:
        write_atomic(conf, text)
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def find_chromium(explicit: str | os.PathLike[str] | None = None) -> str:
    """The path of a Chromium binary: `explicit`, $NAPKIN_CHROMIUM, or the system's."""
    for cand in (explicit, os.environ.get("NAPKIN_CHROMIUM")):
        if cand:
            if Path(cand).is_file() and os.access(cand, os.X_OK):
                return str(cand)
            raise DependencyError(f"Chromium was not found at {cand}. Point NAPKIN_CHROMIUM at an executable Chromium.")
    for cand in _CANDIDATES:
        found = cand if os.path.isabs(cand) and os.access(cand, os.X_OK) else shutil.which(cand)
        if found:
            return found
    raise DependencyError(
        "Chromium is not installed. On Debian or Ubuntu run: sudo apt-get install chromium-headless-shell "
        "(or set NAPKIN_CHROMIUM to the path of a Chromium or Chrome binary)."
    )


@lru_cache(maxsize=1)
@lru_cache(maxsize=1)
def _dom_script() -> str:
    # Read once: every render sends it.
    return resources.files("napkin.render").joinpath("_dom.js").read_text()


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def decode_html(html: str | bytes) -> tuple[str, list[str]]:
    """HTML text from str or bytes: UTF-8, else the declared charset, else UTF-8 with replacements."""
    if isinstance(html, str):
        return html, []
    try:
        return html.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    m = _META_CHARSET.search(html[:4096])
    if m:
        try:
            return html.decode(m.group(1).decode("ascii"), errors="replace"), []
        except LookupError:
            pass
    return html.decode("utf-8", errors="replace"), ["invalid_utf8: undecodable bytes were replaced with U+FFFD"]


_SCRIPTY = re.compile(
    rb"<script|<iframe|<frame|<object|<embed|<meta[^>]+refresh|javascript:|\son[a-z]+\s*=", re.I
)


def may_run_script(html: bytes) -> bool:
    """Whether a page might run code or navigate (conservative: false positives only cost speed)."""
    return _SCRIPTY.search(html) is not None


@lru_cache(maxsize=1)
def _sources_hash() -> str:
    """A hash of the render package's own code (Python, the page script): a change renders differently."""
    digest = hashlib.sha256()
    for path in sorted(resources.files("napkin.render").iterdir(), key=lambda p: p.name):
        if path.name.endswith((".py", ".js")):
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass(slots=True)
class RenderJob:
    """One page to render. `render_many` accepts these or bare HTML strings."""

    html: str | bytes
    options: RenderOptions | None = None


@dataclass(slots=True)
class _Job:
    url: str
    body: bytes
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Slot:
    """A browser context with one page: the unit of concurrency."""

    context: str
    key: tuple[float, bool]
    generation: int
    target: str = ""
    session: str = ""
    size: tuple[int, int] = (0, 0)
    uses: int = 0
    # A page's scripts can leave timers and globals behind in its window. A slot whose window
    # may hold such state ("dirty") gets a fresh document by navigation; a clean one takes the
    # next page by document.write, which is about ten times cheaper.
    dirty: bool = True
    crashed: bool = False
    broken: bool = False
    job: _Job | None = None


class _Crashed(Exception):
    pass


class AsyncChromiumRenderer:
    """The async core. Use from a running event loop; `ChromiumRenderer` wraps it for sync code."""

    def __init__(
        self,
        concurrency: int | None = None,
        limits: RenderLimits | None = None,
        executable: str | os.PathLike[str] | None = None,
        asset_dirs: Iterable[str | os.PathLike[str]] = (),
        recycle_after: int = 250,
        fonts: str = "reference",
    ) -> None:
        # Two pages per core keeps both cores busy while one page waits on the browser.
        self.concurrency = concurrency or max(2, 2 * (os.cpu_count() or 1))
        self.limits = limits or RenderLimits()
        self.executable = find_chromium(executable)
        self._fonts = fonts
        self.recycle_after = recycle_after
        self._env = _fontconfig_env(fonts)
        self._assets = AssetServer(tuple(Path(d) for d in asset_dirs))
        self._browser: Browser | None = None
        self._contexts: dict[str, _Slot] = {}
        self._generation = 0
        self._launch_lock: asyncio.Lock | None = None
        self._slots: asyncio.Queue[_Slot | None] | None = None
        self._counter = 0
        self._closed = False
        self._tasks: set[asyncio.Task[Any]] = set()  # fire-and-forget protocol calls, kept until done
        self.stats = {"renders": 0, "browser_launches": 0, "slots_created": 0}

    # -- lifecycle -----------------------------------------------------------------------------

    @property
    def signature(self) -> str:
        """What makes this renderer's output: Napkin's render code, the browser binary, fonts and limits.

        Two renderers with the same signature render the same HTML and options to the same result,
        so caches of renders are keyed by it.
        """
        try:
            st = os.stat(self.executable)
            browser = f"{self.executable}:{st.st_size}:{int(st.st_mtime)}"
        except OSError:
            browser = str(self.executable)
        return f"napkin-{__version__}|{_sources_hash()}|{browser}|fonts={self._fonts}|{self.limits!r}"

    async def start(self) -> None:
        if self._slots is None:
            self._launch_lock = asyncio.Lock()
            self._slots = asyncio.Queue()
            for _ in range(self.concurrency):
                self._slots.put_nowait(None)
        await self._ensure_browser()

    def _connected(self) -> bool:
        return self._browser is not None and self._browser.connected

    async def _ensure_browser(self) -> None:
        assert self._launch_lock is not None
        async with self._launch_lock:
            if self._closed:
                raise RenderError("the renderer is closed")
            if self._connected():
                return
            if self._browser is not None:
                await self._browser.close(grace=2)  # reap what is left of a browser that died
                self._browser = None
            args = list(_LAUNCH_ARGS)
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                args.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox on
            browser: Browser | None = None
            try:
                browser = await Browser.launch(self.executable, args, self._env, timeout=60)
                browser.on("", self._on_browser_event)
                # Target events tell of popups (closed at once) and of renderers that crash.
                await browser.send("Target.setDiscoverTargets", {"discover": True})
            except BaseException as exc:
                if browser is not None:
                    await browser.close(grace=2)
                if isinstance(exc, (ProtocolError, OSError, TimeoutError)):
                    raise RenderError(f"Chromium at {self.executable} failed to start: {exc or type(exc).__name__}") from exc
                raise
            self._browser = browser
            self._contexts.clear()
            self._generation += 1
            self.stats["browser_launches"] += 1

    async def close(self) -> None:
        self._closed = True
        if self._browser is not None:
            try:
                await asyncio.wait_for(self._browser.close(), 30)
            except Exception:  # noqa: BLE001
                log.warning("Chromium did not close cleanly")
            self._browser = None

    async def __aenter__(self) -> AsyncChromiumRenderer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    def _on_browser_event(self, method: str, params: dict[str, Any]) -> None:
        if method == "Target.targetCreated":
            info = params["targetInfo"]
            slot = self._contexts.get(info.get("browserContextId", ""))
            # Popups and window.open: never let a page spawn more pages. (A slot's own page is
            # created before its target id is known; nothing runs in the context until then.)
            if slot is not None and slot.target and info["targetId"] != slot.target and info["type"] == "page":
                self._spawn(_quiet(self._send("Target.closeTarget", {"targetId": info["targetId"]})))
        elif method == "Target.targetCrashed":
            for slot in self._contexts.values():
                if slot.target == params.get("targetId"):
                    self._crashed(slot)

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _crashed(self, slot: _Slot) -> None:
        slot.crashed = True
        if self._browser is not None and slot.session:
            self._browser.fail_session(slot.session, TargetClosed("the page's renderer crashed"))

    async def _send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        if self._browser is None:
            raise TargetClosed("the browser has closed")
        return await self._browser.send(method, params, session)

    # -- slots ---------------------------------------------------------------------------------

    async def _new_slot(self, options: RenderOptions) -> _Slot:
        await self._ensure_browser()
        vp = options.viewport
        ctx = (await self._send("Target.createBrowserContext"))["browserContextId"]
        slot = _Slot(ctx, (vp.device_scale_factor, vp.is_mobile), self._generation)
        self._contexts[ctx] = slot
        try:
            await self._setup_slot(slot, options)
        except BaseException:
            # Half made (the browser died, or the caller gave up): nothing of it may linger.
            self._contexts.pop(ctx, None)
            if self._browser is not None and slot.session:
                self._browser.off(slot.session)
            self._spawn(_quiet(self._send("Target.disposeBrowserContext", {"browserContextId": ctx})))
            raise
        self.stats["slots_created"] += 1
        return slot

    async def _setup_slot(self, slot: _Slot, options: RenderOptions) -> None:
        vp = options.viewport
        await self._send("Browser.setDownloadBehavior", {"behavior": "deny", "browserContextId": slot.context})
        slot.target = (await self._send("Target.createTarget", {"url": "about:blank", "browserContextId": slot.context}))["targetId"]
        slot.session = (await self._send("Target.attachToTarget", {"targetId": slot.target, "flatten": True}))["sessionId"]
        assert self._browser is not None
        self._browser.on(slot.session, lambda method, params: self._on_page_event(slot, method, params))

        def send(method: str, params: dict[str, Any] | None = None) -> Awaitable[Any]:
            return self._send(method, params, slot.session)

        slot.size = (vp.width, vp.height)
        setup = [
            send("Page.enable"),
            send("Runtime.enable"),
            send("Log.enable"),
            send("Inspector.enable"),
            # Network events only for the WebSockets a page opens (Fetch does not see them).
            send("Network.enable", {"maxTotalBufferSize": 0, "maxResourceBufferSize": 0}),
            send("Fetch.enable", {"patterns": [{"urlPattern": "*"}]}),
            send("Emulation.setDeviceMetricsOverride", _metrics(vp)),
            send("Emulation.setTouchEmulationEnabled", {"enabled": vp.is_mobile, "maxTouchPoints": 1}),
            send("Emulation.setLocaleOverride", {"locale": "en-US"}),
            send("Emulation.setTimezoneOverride", {"timezoneId": "UTC"}),
            send(
                "Emulation.setEmulatedMedia",
                {"media": "", "features": [{"name": "prefers-color-scheme", "value": "light"},
                                           {"name": "prefers-reduced-motion", "value": "reduce"}]},
            ),
        ]
        await asyncio.gather(*setup)

    def _on_page_event(self, slot: _Slot, method: str, params: dict[str, Any]) -> None:
        job = slot.job
        if method == "Fetch.requestPaused":
            self._spawn(self._route(slot, params))
        elif method == "Page.javascriptDialogOpening":
            # alert(), confirm(), prompt() would wait for a user forever; a beforeunload prompt
            # is let through, so it never holds up the engine's next navigation.
            accept = params.get("type") == "beforeunload"
            self._spawn(_quiet(self._send("Page.handleJavaScriptDialog", {"accept": accept}, slot.session)))
        elif method == "Page.frameNavigated":
            frame = params.get("frame", {})
            if not frame.get("parentId") and not frame.get("url", "").startswith(PAGE_PREFIX):
                # The page took its window elsewhere (a refresh, a script, an error page): the
                # next page gets a fresh document, and with it the engine's response headers.
                slot.dirty = True
        elif method == "Inspector.targetCrashed":
            self._crashed(slot)
        elif job is None:
            return
        elif method == "Runtime.consoleAPICalled":
            if params.get("type") == "error" and len(job.console_errors) < _MAX_MESSAGES:
                job.console_errors.append(" ".join(_remote_text(a) for a in params.get("args", []))[:1000])
        elif method == "Log.entryAdded":
            entry = params.get("entry", {})
            text = entry.get("text", "")
            if entry.get("level") != "error" or "ERR_BLOCKED_BY_CLIENT" in text or "Not allowed to load local resource" in text:
                return  # our own blocking is recorded in blocked_requests
            if not self.limits.javascript and "Content Security Policy" in text:
                return  # scripts off: the policy refusing them is the point, not the page's error
            if len(job.console_errors) < _MAX_MESSAGES:
                job.console_errors.append(text[:1000])
        elif method == "Runtime.exceptionThrown":
            if len(job.page_errors) < _MAX_MESSAGES:
                details = params.get("exceptionDetails", {})
                text = details.get("exception", {}).get("description") or details.get("text", "")
                job.page_errors.append(str(text)[:1000])
        elif method == "Network.webSocketCreated":
            # Never connected to a server (the dead proxy refuses it): recorded as blocked.
            if len(job.blocked) < _MAX_BLOCKED:
                job.blocked.append(params.get("url", "")[:500])

    async def _route(self, slot: _Slot, paused: dict[str, Any]) -> None:
        rid = paused["requestId"]
        url = paused["request"]["url"]
        job = slot.job
        try:
            body: bytes | None = None
            headers = []
            if job is not None and url == job.url:
                body, content_type = job.body, "text/html; charset=utf-8"
                if not self.limits.javascript:
                    # No page script runs, inline handlers and javascript: URLs included; the
                    # engine's own evaluation is not a page script. Pages written into this
                    # document later keep its policy. (Switching scripting off in the protocol
                    # would also stop the timers and events the engine's page script waits on.)
                    headers.append({"name": "content-security-policy", "value": "script-src 'none'; object-src 'none'"})
            else:
                asset = self._assets.resolve(url)
                if asset is not None:
                    body, content_type = asset.body, asset.content_type
            if body is not None:
                headers.append({"name": "content-type", "value": content_type})
                await self._send(
                    "Fetch.fulfillRequest",
                    {"requestId": rid, "responseCode": 200, "responseHeaders": headers, "body": base64.b64encode(body).decode("ascii")},
                    slot.session,
                )
                return
            if job is not None:
                # Unknown paths on our own origin are missing files (404), not escapes.
                if not url.startswith(ORIGIN + "/") and len(job.blocked) < _MAX_BLOCKED:
                    job.blocked.append(url[:500])
            await self._send("Fetch.failRequest", {"requestId": rid, "errorReason": "BlockedByClient"}, slot.session)
        except Exception:  # noqa: BLE001 - the page went away while its request was in flight
            pass

    async def _acquire(self, options: RenderOptions) -> _Slot:
        assert self._slots is not None
        slot = await self._slots.get()
        try:
            key = (options.viewport.device_scale_factor, options.viewport.is_mobile)
            stale = slot is not None and (
                slot.broken
                or slot.crashed
                or slot.generation != self._generation
                or slot.key != key
                or slot.uses >= self.recycle_after
                or not self._connected()
            )
            if stale:
                assert slot is not None
                await self._dispose(slot)
                slot = None
            if slot is None:
                slot = await self._new_slot(options)
            return slot
        except BaseException:
            self._slots.put_nowait(None)
            raise

    def _release(self, slot: _Slot) -> None:
        assert self._slots is not None
        slot.job = None
        slot.uses += 1
        self._slots.put_nowait(slot)

    async def _dispose(self, slot: _Slot) -> None:
        if slot.generation != self._generation or not self._connected():
            return  # its browser is gone already
        assert self._browser is not None
        self._browser.off(slot.session)
        self._contexts.pop(slot.context, None)
        try:
            await asyncio.wait_for(self._send("Target.disposeBrowserContext", {"browserContextId": slot.context}), 10)
        except Exception:  # noqa: BLE001
            # A context that will not close means a wedged browser: start over with a new one.
            log.warning("a browser context would not close; restarting Chromium")
            await self._restart_browser()

    async def _restart_browser(self) -> None:
        old, self._browser = self._browser, None
        if old is not None:
            await _quiet(asyncio.wait_for(old.close(grace=2), 20))
        await self._ensure_browser()

    # -- rendering -----------------------------------------------------------------------------

    async def render(self, html: str | bytes, options: RenderOptions | None = None) -> Render:
        """Render one page. Never raises for a bad page: failures come back as `Render.failure`."""
        options = options or RenderOptions()
        if self._slots is None:
            await self.start()
        t0 = time.perf_counter()
        size = len(html) if isinstance(html, bytes) else len(html.encode("utf-8", errors="replace"))
        if size > self.limits.max_html_bytes:
            return failed(
                options,
                "too_large",
                f"HTML is {size / 1e6:.1f} MB, over the {self.limits.max_html_bytes / 1e6:.1f} MB limit "
                "(napkin render --max-html-mb, or RenderLimits.max_html_bytes in code, allows more)",
            )
        text, warnings = decode_html(html)
        body = text.encode("utf-8", errors="replace")
        result: Render | None = None
        for attempt in range(2):
            try:
                slot = await self._acquire(options)
            except ProtocolError as exc:  # the browser died while a slot was being made for this page
                if attempt == 0:
                    await self._ensure_browser()
                    continue
                result = failed(options, "crashed", f"the whole browser crashed while rendering: {_first_line(exc)}")
                break
            generation = slot.generation
            self._counter += 1
            job = _Job(url=f"{PAGE_PREFIX}{self._counter}", body=body)
            slot.job = job
            t_start = time.perf_counter()
            try:
                result = await asyncio.wait_for(self._render_in(slot, job, options), self.limits.timeout_s)
            except TimeoutError:
                slot.broken = True
                result = failed(
                    options,
                    "timeout",
                    f"the page did not finish rendering within {self.limits.timeout_s:g} s "
                    "(an endless script or a very heavy page)",
                )
            except Exception as exc:  # noqa: BLE001 - classified below, never raised to the caller
                slot.broken = True
                browser_died = not self._connected() or generation != self._generation
                if slot.crashed or browser_died or isinstance(exc, _Crashed) or "crash" in str(exc).lower():
                    what = "the whole browser" if browser_died else "the page's renderer process"
                    result = failed(options, "crashed", f"{what} crashed while rendering")
                    if browser_died and attempt == 0:
                        # Collateral damage from a browser that died: try once more on a new one.
                        self._release(slot)
                        await self._ensure_browser()
                        continue
                elif "net::" in str(exc) or "navigat" in str(exc).lower():
                    result = failed(options, "navigation", f"the page could not be loaded: {_first_line(exc)}")
                else:
                    result = failed(options, "internal", f"rendering failed: {_first_line(exc)}")
            except BaseException:
                # Cancelled (a consumer stopped reading render_many): the page may be mid-render,
                # so its slot is replaced, but it goes back to the pool.
                slot.broken = True
                self._release(slot)
                raise
            result.console_errors = job.console_errors
            result.page_errors = job.page_errors
            result.blocked_requests = job.blocked
            result.warnings = warnings + result.warnings
            result.timings["total"] = time.perf_counter() - t0
            result.timings["queue"] = t_start - t0
            self._release(slot)
            break
        assert result is not None
        self.stats["renders"] += 1
        return result

    async def _render_in(self, slot: _Slot, job: _Job, options: RenderOptions) -> Render:
        vp = options.viewport
        timings: dict[str, float] = {}

        def send(method: str, params: dict[str, Any] | None = None) -> Awaitable[Any]:
            return self._send(method, params, slot.session)

        if slot.size != (vp.width, vp.height):
            await send("Emulation.setDeviceMetricsOverride", _metrics(vp))
            slot.size = (vp.width, vp.height)
        t = time.perf_counter()
        html: str | None = None
        if slot.dirty:
            assert self._browser is not None
            loaded = self._browser.wait_for_event(slot.session, "Page.loadEventFired")
            try:
                nav = await send("Page.navigate", {"url": job.url})
                if nav.get("errorText"):
                    raise ProtocolError(f"navigation failed: {nav['errorText']}")
                await loaded
            finally:
                if not loaded.cancel() and not loaded.cancelled():
                    loaded.exception()  # retrieved: a failure here was already raised by navigate
            timings["navigate"] = time.perf_counter() - t
        else:
            html = job.body.decode("utf-8")
        # With scripts off a page can still navigate (a meta refresh); may_run_script covers both.
        # A navigation nobody expected marks the slot dirty too (Page.frameNavigated).
        slot.dirty = may_run_script(job.body)
        args = {
            "html": html,
            "maxElements": self.limits.max_elements,
            "dom": options.dom,
            "settleMs": self.limits.settle_ms,
            "freeze": self.limits.freeze_motion,
            # data: URLs: no request to intercept, so nothing can fail or race on the way.
            "placeholder": {"template": placeholder_data_template(), "fallback": list(DEFAULT_IMAGE)}
            if self.limits.image_placeholders
            else None,
        }
        reply = await send(
            "Runtime.evaluate",
            {"expression": f"({_dom_script()})({json.dumps(args)})", "awaitPromise": True, "returnByValue": True},
        )
        if slot.crashed:
            raise _Crashed()
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            raise ProtocolError(f"the page script failed: {details.get('exception', {}).get('description') or details.get('text')}")
        facts = json.loads(reply["result"]["value"])
        timings["load_and_read"] = time.perf_counter() - t
        elements = [_element(i, row) for i, row in enumerate(facts.get("rows", []))]
        page_w, page_h = float(facts["pageWidth"]), float(facts["pageHeight"])
        warnings: list[str] = []
        if facts.get("truncated"):
            warnings.append(f"dom_truncated: DOM facts stop after {self.limits.max_elements} elements")

        if options.full_page:
            shot_h = max(vp.height, min(int(page_h), self.limits.max_height))
        else:
            shot_h = vp.height
        truncated = options.full_page and page_h > self.limits.max_height
        if truncated:
            warnings.append(f"truncated: the page is {page_h:.0f} px tall; the screenshot stops at {self.limits.max_height} px")

        image = None
        width = height = 0
        if options.screenshot:
            t = time.perf_counter()
            # Chromium's fast PNG encoder halves the cost of the most expensive step. Capturing beyond the viewport
            # relayouts the page, so it is only asked for when the page is taller than the window.
            shot: dict[str, Any] = {"format": options.image_format, "optimizeForSpeed": True}
            if shot_h > vp.height or options.image_scale != 1:
                # The capture is in device pixels; the clip's scale shrinks them further.
                shot["clip"] = {"x": 0, "y": 0, "width": vp.width, "height": shot_h, "scale": options.image_scale}
                shot["captureBeyondViewport"] = shot_h > vp.height
            # else: the window as it is (the capture still draws it afresh, at full scale).
            if options.image_format == "jpeg":
                shot["quality"] = options.jpeg_quality
            reply = await send("Page.captureScreenshot", shot)
            image = base64.b64decode(reply["data"])
            timings["screenshot"] = time.perf_counter() - t
            width = round(vp.width * vp.device_scale_factor * options.image_scale)
            height = round(shot_h * vp.device_scale_factor * options.image_scale)
        if slot.crashed:
            raise _Crashed()
        return Render(
            image=image,
            image_format=options.image_format,
            width=width,
            height=height,
            page_width=page_w,
            page_height=page_h,
            viewport=vp,
            elements=elements,
            title=facts.get("title", ""),
            warnings=warnings,
            truncated=truncated,
            dom_size=int(facts.get("domSize", 0)),
            timings=timings,
            image_scale=options.image_scale if options.screenshot else 1.0,
        )

    async def render_stream(
        self, items: Iterable[str | bytes | RenderJob], options: RenderOptions | None = None
    ) -> AsyncGenerator[Render, None]:
        """Render many pages concurrently; yield results in input order, holding at most a few in memory."""
        if self._slots is None:
            await self.start()
        window: deque[asyncio.Task[Render]] = deque()
        max_pending = 2 * self.concurrency
        try:
            for item in items:
                job = item if isinstance(item, RenderJob) else RenderJob(item)
                window.append(asyncio.ensure_future(self.render(job.html, job.options or options)))
                while len(window) >= max_pending or (window and window[0].done()):
                    yield await window.popleft()
            while window:
                yield await window.popleft()
        finally:
            for task in window:
                task.cancel()
            if window:
                await asyncio.gather(*window, return_exceptions=True)


def _rgba(v: list[float]) -> tuple[int, int, int, float]:
    return (int(v[0]), int(v[1]), int(v[2]), float(v[3]))


def _element(i: int, r: list[Any]) -> Element:
    return Element(
        index=i,
        parent=r[0],
        path=r[1],
        tag=r[2],
        x=r[3],
        y=r[4],
        w=r[5],
        h=r[6],
        text=r[7],
        text_boxes=[TextBox(*b) for b in r[8]],
        color=_rgba(r[9]),
        background=_rgba(r[10]),
        font_size=r[11],
        font_weight=r[12],
        font_family=r[13],
        text_align=r[14],
        border_width=r[15],
        border_color=_rgba(r[16]),
        border_radius=r[17],
        display=r[18],
        position=r[19],
        depth=r[20],
        attrs=r[21],
    )


def _metrics(vp: Any) -> dict[str, Any]:
    """Device metrics for a viewport: the screen is the window, as a phone's or a maximised browser's.

    `scale` shrinks only what the window shows: the frames Chromium paints while a page loads,
    which nobody looks at, cost a sixteenth of the pixels (a trace showed them at about a fifth
    of the browser's CPU for a synthetic sample). Layout and the page's own view of its window
    and screen are unchanged, and so is every capture, which sets its own scale: full-size
    pictures are identical (tests/render/test_sandbox.py, benchmarks/browser_parity.py); pictures
    drawn smaller (`image_scale`) can differ in a few pixels along raster tile seams, the same
    from run to run.
    """
    landscape = vp.width > vp.height
    return {"width": vp.width, "height": vp.height, "deviceScaleFactor": vp.device_scale_factor, "mobile": vp.is_mobile,
            "screenWidth": vp.width, "screenHeight": vp.height, "scale": 0.25,
            "screenOrientation": {"angle": 90, "type": "landscapePrimary"} if landscape else {"angle": 0, "type": "portraitPrimary"}}


def _remote_text(obj: dict[str, Any]) -> str:
    """A console argument as the console shows it: strings bare, other values by description."""
    if "value" in obj:
        value = obj["value"]
        return value if isinstance(value, str) else json.dumps(value)
    return str(obj.get("description") or obj.get("unserializableValue") or obj.get("type", ""))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


async def _quiet(coro: Coroutine[Any, Any, Any]) -> None:
    try:
        await coro
    except Exception:  # noqa: BLE001
        pass


async def _awaited(awaitable: Awaitable[T]) -> T:
    return await awaitable


class _LoopThread:
    """An event loop on a daemon thread, so sync callers can drive the async core."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="napkin-render", daemon=True)
        self._thread.start()

    def run(self, awaitable: Awaitable[T]) -> T:
        return asyncio.run_coroutine_threadsafe(_awaited(awaitable), self.loop).result()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)
        if not self._thread.is_alive():
            self.loop.close()


class ChromiumRenderer:
    """Renders HTML in the system Chromium. Sync API over `AsyncChromiumRenderer`.

    >>> with ChromiumRenderer() as r:                               # doctest: +SKIP
    ...     page = r.render("<h1>Hello</h1>")
    ...     page.ok, page.width, page.elements[2].text
    (True, 1280, 'Hello')
    """

    def __init__(
        self,
        concurrency: int | None = None,
        limits: RenderLimits | None = None,
        executable: str | os.PathLike[str] | None = None,
        asset_dirs: Iterable[str | os.PathLike[str]] = (),
        recycle_after: int = 250,
        fonts: str = "reference",
    ) -> None:
        self.core = AsyncChromiumRenderer(concurrency, limits, executable, asset_dirs, recycle_after, fonts)
        self._loop: _LoopThread | None = _LoopThread()
        try:
            self._loop.run(self.core.start())
        except BaseException:
            self._loop.stop()
            self._loop = None
            raise

    @property
    def limits(self) -> RenderLimits:
        return self.core.limits

    @property
    def signature(self) -> str:
        return self.core.signature

    def _run(self, awaitable: Awaitable[T]) -> T:
        if self._loop is None:
            if isinstance(awaitable, Coroutine):
                awaitable.close()
            raise RenderError("the renderer is closed")
        return self._loop.run(awaitable)

    def render(self, html: str | bytes, options: RenderOptions | None = None) -> Render:
        return self._run(self.core.render(html, options))

    def render_many(self, items: Iterable[str | bytes | RenderJob], options: RenderOptions | None = None) -> Iterator[Render]:
        agen = self.core.render_stream(items, options)
        try:
            while True:
                try:
                    yield self._run(agen.__anext__())
                except StopAsyncIteration:
                    return
        finally:
            if self._loop is not None:
                self._run(agen.aclose())

    def close(self) -> None:
        if self._loop is not None:
            try:
                self._loop.run(self.core.close())
            finally:
                self._loop.stop()
                self._loop = None

    def __enter__(self) -> ChromiumRenderer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
