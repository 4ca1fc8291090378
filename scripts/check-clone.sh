#!/bin/sh
# `make run` in a fresh clone with nothing beside it: the README's main job must work from the
# repository alone. Clones HEAD into an empty temporary folder (so no ../shared or other
# neighbour exists), runs `make run` there with BENCH unset, and checks that pages for the
# screenshots and the sketches and the reports were written. Called by .ci/run after `make test`.
set -eu
repo="$(cd "$(dirname "$0")/.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
git clone -q "$repo" "$tmp/napkin"
cd "$tmp/napkin"
env -u BENCH -u SKETCHES make run > "$tmp/run.log" 2>&1 || { tail -n 40 "$tmp/run.log"; echo "check-clone: make run failed in a fresh clone" >&2; exit 1; }
fail=0
for f in out/run/report/report.html out/run/sketch-report/report.html; do
  [ -s "$f" ] || { echo "check-clone: $f missing" >&2; fail=1; }
done
pages=$(ls out/run/pages/*.html 2>/dev/null | wc -l)
sketch_pages=$(ls out/run/sketch-pages/*.html 2>/dev/null | wc -l)
[ "$pages" -gt 0 ] || { echo "check-clone: no pages from the screenshots" >&2; fail=1; }
[ "$sketch_pages" -gt 0 ] || { echo "check-clone: no pages from the sketches" >&2; fail=1; }
grep -q "^ran on .* synthetic pages" "$tmp/run.log" || { echo "check-clone: make run did not say what it ran on" >&2; fail=1; }
[ $fail -eq 0 ] || { tail -n 40 "$tmp/run.log"; exit 1; }
echo "check-clone: make run in a fresh clone wrote $pages pages from screenshots, $sketch_pages from sketches, and both reports"
