"""What Playwright costs the render engine: the same renders through it and over bare CDP.

    python benchmarks/playwright_overhead.py [--n 100] [--repeat 3]

The synthetic data target (10 samples/s, benchmarks/synth_throughput.py) is bound by CPU, and
most of it is Chromium's. This measures how much of that is the way the engine talks to the
browser. Both sides render the same 100 synthetic desktop pages twice each (the screenshot as
PNG and the sketch as JPEG, 640 px wide, full page), four pages at a time, with the engine's
own launch flags, fonts and page script (`_dom.js`: write the page into the document, wait for
it, read every element's facts) and the same capture call:

- **playwright**: `AsyncChromiumRenderer`, as the data engine uses it (Playwright's Node
  driver between Python and the browser, its routing, its events);
- **bare CDP**: a minimal client on Chromium's `--remote-debugging-pipe` that sends only
  `Runtime.evaluate` and `Page.captureScreenshot` to four targets in their own browser contexts.
  It has none of the engine's sandboxing (no request routing, no event handling), so it is a
  measurement, not an engine: it bounds what a direct CDP engine could save.

The two run alternately in one process (A-B, then B-A), so a slow spell of the shared host hits
both. CPU is the whole machine's (/proc/stat); the machine is saturated during the runs, so
less CPU a sample is also that much more throughput. Results: benchmarks/results/playwright_overhead.json.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from _common import cpu_seconds, host_check_ms, save, table  # noqa: E402

from napkin.render import RenderJob, RenderLimits, RenderOptions, make_skin, parse_viewport, skin_html  # noqa: E402
from napkin.render._assets import DEFAULT_IMAGE, placeholder_data_template  # noqa: E402
from napkin.render._chromium import _LAUNCH_ARGS, AsyncChromiumRenderer, _dom_script, _fontconfig_env, find_chromium  # noqa: E402
from napkin.synth import Sampler, derive_seed  # noqa: E402

WIDTH, HEIGHT, SCALE = 1280, 720, 0.5
LIMITS = RenderLimits()  # both sides use the engine's limits


class PipeCDP:
    """Just enough of a CDP client for the measurement: commands, replies, no events."""

    def __init__(self) -> None:
        self._id = 0
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self.profile: str | None = None
        self.proc: subprocess.Popen[bytes] | None = None
        self._writer: Any = None
        self._transport: Any = None
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.profile = tempfile.mkdtemp(prefix="napkin-cdp-")
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()

        def fds() -> None:  # the browser reads commands on fd 3 and writes replies on fd 4
            os.dup2(to_child, 3)
            os.dup2(from_child, 4)

        args = [find_chromium(), *_LAUNCH_ARGS, "--headless", "--remote-debugging-pipe", f"--user-data-dir={self.profile}", "about:blank"]
        if os.geteuid() == 0:
            args.append("--no-sandbox")
        # Its own process group, so closing kills the renderers and helpers too.
        self.proc = subprocess.Popen(args, pass_fds=(3, 4), preexec_fn=fds, env=_fontconfig_env("reference"),  # noqa: PLW1509
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        os.close(to_child)
        os.close(from_child)
        self._writer = os.fdopen(from_parent, "wb", buffering=0)
        self._reader = asyncio.StreamReader(limit=2**30)
        loop = asyncio.get_running_loop()
        self._transport, _ = await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(self._reader),
                                                          os.fdopen(to_parent, "rb", buffering=0))
        self._task = asyncio.ensure_future(self._read())

    async def _read(self) -> None:
        try:
            while True:
                msg = json.loads((await self._reader.readuntil(b"\0"))[:-1])
                fut = self._pending.pop(msg["id"], None) if "id" in msg else None
                if fut is not None and not fut.done():
                    if "error" in msg:
                        fut.set_exception(RuntimeError(msg["error"]))
                    else:
                        fut.set_result(msg.get("result", {}))
        finally:  # the browser went away: nobody waits for a reply that cannot come
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(RuntimeError("the browser closed its pipe"))
            self._pending.clear()

    async def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[self._id] = fut
        self._writer.write(json.dumps(msg).encode() + b"\0")
        return await asyncio.wait_for(fut, 60)

    async def page(self) -> str:
        ctx = (await self.send("Target.createBrowserContext"))["browserContextId"]
        target = (await self.send("Target.createTarget", {"url": "about:blank", "browserContextId": ctx}))["targetId"]
        session = (await self.send("Target.attachToTarget", {"targetId": target, "flatten": True}))["sessionId"]
        await self.send("Emulation.setDeviceMetricsOverride", {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False}, session)
        return session

    def close(self) -> None:
        """Stop the browser and remove its profile; safe to call after a failed or partial start."""
        if self._task is not None:
            self._task.cancel()
        if self._writer is not None:
            self._writer.close()  # Chromium exits when its command pipe closes
        if self.proc is not None:
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)  # whatever of its process group is left
            except ProcessLookupError:
                pass
            self.proc.wait()
        if self._transport is not None:
            self._transport.close()
        if self.profile is not None:
            shutil.rmtree(self.profile, ignore_errors=True)


async def bare(cdp: PipeCDP, sessions: list[str], pages: list[tuple[str, str]]) -> list[int]:
    free: asyncio.Queue[str] = asyncio.Queue()
    for s in sessions:
        free.put_nowait(s)
    script = _dom_script()

    async def one(html: str, fmt: str) -> int:
        session = await free.get()
        try:
            args = {"html": html, "maxElements": LIMITS.max_elements, "dom": True, "settleMs": LIMITS.settle_ms, "freeze": True,
                    "placeholder": {"template": placeholder_data_template(), "fallback": list(DEFAULT_IMAGE)}}
            reply = await cdp.send("Runtime.evaluate", {"expression": f"({script})({json.dumps(args)})", "awaitPromise": True,
                                                       "returnByValue": True}, session)
            facts = json.loads(reply["result"]["value"])
            h = max(HEIGHT, min(int(facts["pageHeight"]), LIMITS.max_height))
            shot: dict[str, Any] = {"format": fmt, "optimizeForSpeed": True, "captureBeyondViewport": h > HEIGHT,
                                    "clip": {"x": 0, "y": 0, "width": WIDTH, "height": h, "scale": SCALE}}
            if fmt == "jpeg":
                shot["quality"] = 95
            return len(base64.b64decode((await cdp.send("Page.captureScreenshot", shot, session))["data"]))
        finally:
            free.put_nowait(session)

    return await asyncio.gather(*[one(h, f) for h, f in pages])


async def run(n: int, repeat: int) -> dict[str, Any]:
    sampler = Sampler(0)
    samples = [s for s in (sampler.sample(i) for i in range(3 * n)) if s.viewport == "desktop"][:n]
    pages = []
    for s in samples:
        pages.append((s.html(), "png"))
        pages.append((skin_html(s.html(), make_skin("sketch", derive_seed(s.seed, "sketch/0"))), "jpeg"))
    jobs = [RenderJob(h, RenderOptions(viewport=parse_viewport("desktop"), image_format=f, jpeg_quality=95, image_scale=SCALE))
            for h, f in pages]
    engine = AsyncChromiumRenderer(concurrency=4, limits=LIMITS)
    cdp = PipeCDP()
    cpu: dict[str, list[float]] = {"playwright": [], "bare CDP": []}
    rate: dict[str, list[float]] = {"playwright": [], "bare CDP": []}
    try:
        await engine.start()
        await cdp.start()
        sessions = [await cdp.page() for _ in range(4)]

        async def through_playwright() -> list[int]:
            out = [r async for r in engine.render_stream(jobs)]
            if not all(r.ok for r in out):
                raise SystemExit(f"a render failed: {[r.message for r in out if not r.ok][:3]}")
            return [len(r.image or b"") for r in out]

        sizes = {"playwright": await through_playwright(), "bare CDP": await bare(cdp, sessions, pages)}  # warm-up
        order = [("playwright", through_playwright), ("bare CDP", lambda: bare(cdp, sessions, pages))]
        for i in range(repeat):
            for name, fn in order if i % 2 == 0 else order[::-1]:  # A-B, B-A: a drifting host favours neither
                machine, t = cpu_seconds(), time.perf_counter()
                await fn()
                dt = time.perf_counter() - t
                cpu[name].append(1000 * (cpu_seconds() - machine) / len(samples))
                rate[name].append(len(samples) / dt)
    finally:
        try:
            await engine.close()
        finally:
            cdp.close()
    pairs = list(zip(sizes["playwright"], sizes["bare CDP"], strict=True))
    same = sum(a == b for a, b in pairs)
    # Byte sizes of the encoded pictures: equal sizes mean the same pixels, nearly equal sizes
    # a few anti-aliased pixels (the engine also emulates locale, time zone and media features).
    largest = max(abs(a - b) / max(a, 1) for a, b in pairs)
    rows = [{"path": k, "samples": len(samples), "renders": len(pages), "cpu_ms_per_sample": statistics.median(v),
             "samples_per_s": statistics.median(rate[k]), "all_cpu_ms_per_sample": [round(x) for x in v]} for k, v in cpu.items()]
    return {"rows": rows, "pictures_of_the_same_size": f"{same} of {len(pages)}", "largest_size_difference": round(largest, 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100, help="samples (two renders each)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    before = host_check_ms()
    result = asyncio.run(run(args.n, args.repeat))
    after = host_check_ms()
    rows = result["rows"]
    print(table(rows, ["path", "samples", "renders", "cpu_ms_per_sample", "samples_per_s", "all_cpu_ms_per_sample"]))
    saving = 1 - rows[1]["cpu_ms_per_sample"] / rows[0]["cpu_ms_per_sample"]
    print(f"\nbare CDP uses {100 * saving:.0f} % less CPU a sample; pictures of the same byte size: {result['pictures_of_the_same_size']}"
          f" (the others differ by at most {100 * result['largest_size_difference']:.1f} %)")
    print(f"host check (ms, lower is faster): {before} before, {after} after")
    print(f"saved {save('playwright_overhead', {**result, 'saving': round(saving, 3), 'host_check_ms': [before, after], 'load_average': os.getloadavg()})}")


if __name__ == "__main__":
    main()
