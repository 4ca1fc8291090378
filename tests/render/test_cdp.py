"""The DevTools pipe client against the real Chromium: commands, events, and a browser that dies."""

from __future__ import annotations

import asyncio
import os
import signal
from pathlib import Path

import psutil
import pytest

from napkin.render import find_chromium
from napkin.render._cdp import Browser, ProtocolError, TargetClosed
from napkin.render._chromium import _LAUNCH_ARGS

pytestmark = pytest.mark.browser

ARGS = [*_LAUNCH_ARGS, *(["--no-sandbox"] if os.geteuid() == 0 else [])]


async def _page(browser: Browser) -> str:
    target = next(t for t in (await browser.send("Target.getTargets"))["targetInfos"] if t["type"] == "page")
    return (await browser.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}))["sessionId"]


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_commands_events_and_a_clean_close():
    async def main() -> tuple[int, str, list[int]]:
        browser = await Browser.launch(find_chromium(), ARGS)
        session = await _page(browser)
        events: list[str] = []
        browser.on(session, lambda method, params: events.append(method))
        await browser.send("Runtime.enable", session=session)
        fired = browser.wait_for_event(session, "Runtime.consoleAPICalled")
        reply = await browser.send("Runtime.evaluate", {"expression": "console.log('hi'); 6 * 7", "returnByValue": True}, session)
        logged = await asyncio.wait_for(fired, 10)
        assert logged["args"][0]["value"] == "hi" and "Runtime.consoleAPICalled" in events
        with pytest.raises(ProtocolError, match="wasn't found"):
            await browser.send("No.suchMethod", session=session)
        family = [p.pid for p in psutil.Process(browser.pid).children(recursive=True)]
        await browser.close()
        assert not browser.connected
        return reply["result"]["value"], browser.profile, [browser.pid, *family]

    value, profile, pids = asyncio.run(main())
    assert value == 42
    assert not Path(profile).exists()  # the temporary profile is removed
    assert not any(_alive(pid) for pid in pids)  # browser and helpers are gone
    with pytest.raises(ChildProcessError):
        os.waitpid(pids[0], os.WNOHANG)  # and the browser, our child, is reaped: no zombie


def test_a_killed_browser_fails_what_is_pending_and_is_reaped():
    async def main() -> None:
        browser = await Browser.launch(find_chromium(), ARGS)
        session = await _page(browser)
        waiting = browser.wait_for_event(session, "Page.loadEventFired")
        # A command that never returns on its own: the page loops forever.
        hung = asyncio.ensure_future(browser.send("Runtime.evaluate", {"expression": "while (true) {}"}, session))
        await asyncio.sleep(0.5)
        os.kill(browser.pid, signal.SIGKILL)
        with pytest.raises(TargetClosed):
            await asyncio.wait_for(hung, 10)
        with pytest.raises(TargetClosed):
            await asyncio.wait_for(waiting, 10)
        assert not browser.connected
        with pytest.raises(TargetClosed):
            await browser.send("Browser.getVersion")
        await browser.close()
        with pytest.raises(ChildProcessError):
            os.waitpid(browser.pid, os.WNOHANG)

    asyncio.run(main())


def test_a_missing_binary_is_a_clear_error(tmp_path):
    async def main() -> None:
        with pytest.raises(ProtocolError, match="could not start"):
            await Browser.launch(str(tmp_path / "no-chromium"), ARGS)

    asyncio.run(main())


def test_profiles_left_by_killed_processes_are_removed(tmp_path, monkeypatch):
    import subprocess
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen(["true"])
    dead.wait()  # a pid that no longer runs
    stale = tmp_path / f"napkin-chromium-{dead.pid}-abc"
    alive = tmp_path / f"napkin-chromium-{os.getppid()}-abc"
    for d in (stale, alive):
        (d / "Default").mkdir(parents=True)

    async def main() -> None:
        browser = await Browser.launch(find_chromium(), ARGS)
        assert Path(browser.profile).parent == tmp_path
        await browser.close()

    asyncio.run(main())
    assert not stale.exists() and alive.exists()
