"""A Chromium DevTools protocol client on the browser's `--remote-debugging-pipe`.

The render engine talks to Chromium directly rather than through Playwright: Playwright puts a
Node.js driver between Python and the browser and handles every protocol event twice, which cost
10-18 % of the CPU of rendering a synthetic sample (benchmarks/playwright_overhead.py at commit
9cc2549) and about 9 % of a whole sample (benchmarks/synth_ab.py --ref 9cc2549).
The engine needs a small part of the protocol, so this is a small client: launch a browser with
the command pipe on fds 3 and 4, send commands (optionally to a flattened target session), route
events to per-session handlers, and fail whatever is pending when a target or the browser goes.

Messages are JSON terminated by a NUL byte in both directions.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import json
import logging
import os
import shutil
import signal
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

Handler = Callable[[str, dict[str, Any]], None]

# A screenshot of a 16k-pixel-tall page is tens of MB of base64: one message, one read.
_MAX_MESSAGE = 1 << 30


_PROFILE_PREFIX = "napkin-chromium-"


def _remove_stale_profiles() -> None:
    """Remove the browser profiles of Napkin processes that died without cleaning up (SIGKILL)."""
    for path in Path(tempfile.gettempdir()).glob(f"{_PROFILE_PREFIX}*-*"):
        owner = path.name[len(_PROFILE_PREFIX):].split("-", 1)[0]
        if not owner.isdigit() or int(owner) == os.getpid():
            continue
        try:
            os.kill(int(owner), 0)
        except ProcessLookupError:
            shutil.rmtree(path, ignore_errors=True)
        except PermissionError:
            pass  # alive, someone else's


class ProtocolError(Exception):
    """The browser answered a command with an error, or can no longer answer it."""


class TargetClosed(ProtocolError):
    """The target (page) or the whole browser went away while a command was pending."""


class Browser:
    """One Chromium process and its command pipe. Create with `await Browser.launch(...)`."""

    def __init__(self, pid: int, profile: str) -> None:
        self.pid = pid
        self.profile = profile
        self._id = 0
        self._pending: dict[int, tuple[asyncio.Future[Any], str]] = {}
        self._handlers: dict[str, Handler] = {}
        self._waiters: list[tuple[asyncio.Future[Any], str, str]] = []
        self._reader: asyncio.StreamReader | None = None
        self._read_transport: asyncio.ReadTransport | None = None
        self._write_transport: asyncio.WriteTransport | None = None
        self._task: asyncio.Task[None] | None = None
        self._closed = asyncio.get_running_loop().create_future()
        self._reaped = False

    @classmethod
    async def launch(
        cls, executable: str, args: Sequence[str], env: dict[str, str] | None = None, timeout: float = 60
    ) -> Browser:
        """Start Chromium with its protocol on a pipe, in its own process group, with a fresh profile."""
        _remove_stale_profiles()
        # The owner's pid in the name: a profile left by a process that was killed can be told apart.
        profile = tempfile.mkdtemp(prefix=f"{_PROFILE_PREFIX}{os.getpid()}-")
        # Pipe ends land on fds 3 (commands in) and 4 (replies out) of the child. posix_spawn
        # instead of subprocess's preexec_fn, which is unsafe with the render thread running.
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        # Above fd 4 in the parent, so the child's dup2 onto 3 and 4 never meets itself.
        hi = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_child_r, from_child_w)]
        os.close(to_child_r)
        os.close(from_child_w)
        argv = [executable, *args, f"--user-data-dir={profile}", "--remote-debugging-pipe", "about:blank"]
        try:
            pid = os.posix_spawn(
                executable,
                argv,
                os.environ if env is None else env,
                file_actions=[
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                    (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
                    (os.POSIX_SPAWN_DUP2, hi[0], 3),
                    (os.POSIX_SPAWN_DUP2, hi[1], 4),
                ],
                setsid=True,  # its own process group: closing kills renderers and helpers too
            )
        except OSError as exc:
            for fd in (*hi, to_child_w, from_child_r):
                os.close(fd)
            shutil.rmtree(profile, ignore_errors=True)
            raise ProtocolError(f"could not start {executable}: {exc}") from exc
        for fd in hi:
            os.close(fd)
        browser = cls(pid, profile)
        try:
            await browser._connect(from_child_r, to_child_w)
            await asyncio.wait_for(browser.send("Browser.getVersion"), timeout)
        except BaseException:
            await browser.close()
            raise
        return browser

    async def _connect(self, read_fd: int, write_fd: int) -> None:
        loop = asyncio.get_running_loop()
        reader = self._reader = asyncio.StreamReader(limit=_MAX_MESSAGE)
        self._read_transport, _ = await loop.connect_read_pipe(
            lambda: asyncio.StreamReaderProtocol(reader), os.fdopen(read_fd, "rb", buffering=0)
        )
        self._write_transport, _ = await loop.connect_write_pipe(asyncio.Protocol, os.fdopen(write_fd, "wb", buffering=0))
        self._task = asyncio.ensure_future(self._read_loop())

    # -- messages ------------------------------------------------------------------------------

    @property
    def connected(self) -> bool:
        return not self._closed.done()

    async def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        """Send a command and return its result; raises ProtocolError or TargetClosed."""
        if self._closed.done() or self._write_transport is None or self._write_transport.is_closing():
            raise TargetClosed("the browser has closed")
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        fut: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[self._id] = (fut, session)
        key = self._id
        fut.add_done_callback(lambda _: self._pending.pop(key, None))  # also when the caller gives up
        self._write_transport.write(json.dumps(msg).encode() + b"\0")
        return await fut

    def on(self, session: str, handler: Handler) -> None:
        """Route the events of `session` ("" for the browser's own) to `handler(method, params)`."""
        self._handlers[session] = handler

    def off(self, session: str) -> None:
        self._handlers.pop(session, None)

    def wait_for_event(self, session: str, method: str) -> asyncio.Future[dict[str, Any]]:
        """A future for the next `method` event of `session`; it fails if the target or browser goes."""
        fut: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        if not self.connected:
            fut.set_exception(TargetClosed("the browser has closed"))
            return fut
        entry = (fut, session, method)
        self._waiters.append(entry)
        fut.add_done_callback(lambda _: self._waiters.remove(entry) if entry in self._waiters else None)
        return fut

    def fail_session(self, session: str, exc: ProtocolError) -> None:
        """Fail every command and event wait pending on `session` (its target crashed or detached)."""
        for fut, s in [*self._pending.values(), *((f, s) for f, s, _ in self._waiters)]:
            if s == session and not fut.done():
                fut.set_exception(exc)

    async def _read_loop(self) -> None:
        assert self._reader is not None
        try:
            while True:
                try:
                    raw = await self._reader.readuntil(b"\0")
                except asyncio.IncompleteReadError:
                    break  # the browser exited or closed its end
                msg = json.loads(raw[:-1])
                if "id" in msg:
                    entry = self._pending.get(msg["id"])
                    if entry is not None and not entry[0].done():
                        if "error" in msg:
                            err = msg["error"]
                            entry[0].set_exception(ProtocolError(f"{err.get('message', err)} ({msg.get('id')})"))
                        else:
                            entry[0].set_result(msg.get("result", {}))
                    continue
                method, params, session = msg.get("method", ""), msg.get("params", {}), msg.get("sessionId", "")
                if method == "Target.detachedFromTarget":
                    gone = params.get("sessionId", "")
                    self.fail_session(gone, TargetClosed("the page was closed"))
                for fut, s, m in list(self._waiters):
                    if s == session and m == method and not fut.done():
                        fut.set_result(params)
                handler = self._handlers.get(session)
                if handler is not None:
                    try:
                        handler(method, params)
                    except Exception:  # a handler's bug must not stop every page's messages
                        log.exception("CDP event handler failed on %s", method)
        except Exception:  # noqa: BLE001 - unreadable stream: treat as a dead browser
            log.exception("the browser's protocol stream broke")
        finally:
            if not self._closed.done():
                self._closed.set_result(None)
            for fut in [*(f for f, _ in self._pending.values()), *(f for f, _, _ in self._waiters)]:
                if not fut.done():
                    fut.set_exception(TargetClosed("the browser has closed"))
            self._pending.clear()
            self._waiters.clear()

    # -- shutdown ------------------------------------------------------------------------------

    async def close(self, grace: float = 5) -> None:
        """Ask the browser to quit, kill its process group if it does not, remove its profile."""
        try:
            if self.connected and self._write_transport is not None and not self._write_transport.is_closing():
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(self.send("Browser.close"), grace)
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(asyncio.shield(self._closed), grace)
            for transport in (self._write_transport, self._read_transport):
                if transport is not None:
                    transport.close()
            if self._task is not None and not self._task.done():
                self._task.cancel()
                with contextlib.suppress(BaseException):
                    await self._task
            await self._reap(grace)
        finally:
            if not self._reaped:  # cancelled on the way: no survivor, at least
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.pid, signal.SIGKILL)
                self._try_wait()
            shutil.rmtree(self.profile, ignore_errors=True)

    async def _reap(self, grace: float) -> None:
        if self._reaped:
            return
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if self._try_wait():
                break
            await asyncio.sleep(0.05)
        # Whatever is left of the process group (renderers of a browser that died, a hung browser).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)
        while not self._try_wait():
            await asyncio.sleep(0.02)

    def _try_wait(self) -> bool:
        if self._reaped:
            return True
        try:
            pid, _ = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            pid = self.pid  # reaped elsewhere
        if pid == self.pid:
            self._reaped = True
        return self._reaped
