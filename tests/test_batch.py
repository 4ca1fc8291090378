"""The folder runner render, generate and eval share: what counts as done, what is retried, disk errors."""

from __future__ import annotations

import errno
import hashlib
import json
from collections import Counter

import pytest

from napkin._batch import BatchSummary, FolderRun, failure_counts, find_files, sha1_file
from napkin.errors import InputError, NapkinError


def summary(tmp_path, **kw):
    return BatchSummary(out_dir=tmp_path / "out", noun="page", verb="rendered", final=frozenset({"too_large"}), **kw)


def test_records_are_logged_one_by_one_and_read_back_by_the_next_run(tmp_path):
    s = summary(tmp_path, total=3)
    with FolderRun(s, log_name="log.jsonl", desc="t", progress=False).start(3) as run:
        run.finish({"name": "a", "sha1": "1", "ok": True})
        run.finish({"name": "b", "sha1": "2", "ok": False, "failure": "too_large", "message": "big"})
        run.finish({"name": "c", "sha1": "3", "ok": False, "failure": "timeout", "message": "slow"})
    assert (s.done, dict(s.failures), s.tried) == (1, {"too_large": 1, "timeout": 1}, 3)
    log = (tmp_path / "out" / "log.jsonl").read_text().splitlines()
    assert [json.loads(line)["name"] for line in log] == ["a", "b", "c"]

    again = FolderRun(summary(tmp_path), log_name="log.jsonl", desc="t", progress=False)
    done = {n: again.is_done(again.previous.get(n), {"sha1": sha}) for n, sha in (("a", "1"), ("b", "2"), ("c", "3"))}
    # Finished and bad input are done; a timeout (the machine's fault) is tried again.
    assert done == {"a": True, "b": True, "c": False}
    # Another input (or other settings) under the same name is not done; nor is a lost output.
    assert not again.is_done(again.previous["a"], {"sha1": "changed"})
    assert not again.is_done(again.previous["a"], {"sha1": "1"}, tmp_path / "out" / "a.png")
    assert FolderRun(summary(tmp_path), log_name="log.jsonl", desc="t", progress=False, restart=True).previous == {}


def test_summary_keeps_failures_apart_from_work_done(tmp_path):
    s = summary(tmp_path, total=9, done=4, skipped=1, failures=Counter({"too_large": 3, "timeout": 1}), seconds=4.0,
                where=("images and facts", "out/ (render.jsonl)"))
    rows = dict(s.rows())
    assert rows["pages found"] == "9" and rows["rendered now"] == "4" and rows["skipped (done before)"] == "1"
    assert rows["failed, bad input"] == "too_large: 3 (skipped by later runs)"
    assert rows["failed, retried"] == "timeout: 1 (tried again by the next run)"
    assert rows["time"] == "4.0 s (2.0 pages/s, 0.50 s per page tried)"  # 8 tried, not 4 or 9
    assert s.table().splitlines()[-1] == "images and facts       out/ (render.jsonl)"
    assert failure_counts(Counter({"b": 1, "a": 2}), {"a"}) == ("a: 2", "b: 1")


def test_a_full_disk_stops_the_run_with_advice_and_keeps_what_was_written(tmp_path):
    def store(record):
        if record["name"] == "b":
            raise OSError(errno.ENOSPC, "No space left on device")

    s = summary(tmp_path)
    with pytest.raises(NapkinError, match="No space left on device.*run the same command again"):
        with FolderRun(s, log_name="log.jsonl", desc="t", progress=False, store=store).start(2) as run:
            run.finish({"name": "a", "ok": True})
            run.finish({"name": "b", "ok": True})
    assert s.done == 1 and s.seconds > 0
    assert [json.loads(line)["name"] for line in (tmp_path / "out" / "log.jsonl").read_text().splitlines()] == ["a"]


def test_finding_files_and_hashing_them(tmp_path):
    with pytest.raises(InputError, match="not a folder of pages"):
        find_files(tmp_path / "missing", (".html",), "pages")
    (tmp_path / "in" / "sub").mkdir(parents=True)
    with pytest.raises(InputError, match=r"no pages \(.html, .htm\) in"):
        find_files(tmp_path / "in", (".html", ".htm"), "pages")
    for name in ("b.HTML", "sub/a.htm", "notes.txt"):
        (tmp_path / "in" / name).write_text("<p>x</p>")
    assert [p.name for p in find_files(tmp_path / "in", (".html", ".htm"), "pages")] == ["b.HTML", "a.htm"]
    assert sha1_file(tmp_path / "in" / "b.HTML") == hashlib.sha1(b"<p>x</p>").hexdigest()
    assert sha1_file(tmp_path / "in" / "gone.html") == f"unreadable:{errno.ENOENT}"
