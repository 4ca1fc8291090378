"""Question-answer accuracy in the style of Web2Code's WUB (webpage understanding benchmark).

Two JSON Lines files, one object a line:

    questions: {"id": "q1", "page": "1034", "question": "What is the site's name?", "answer": "Acme",
                "choices": ["Acme", "Globex"]}          # "page" and "choices" are optional
    answers:   {"id": "q1", "answer": "Acme"}

An answer is right when it equals the gold answer after normalisation (case, punctuation,
articles and spacing ignored; "yes"/"true"/"y" are one answer, as are "no"/"false"/"n"; digit
groups like 1,000 read as 1000). With choices, a letter ("B", "(b)", "B. Globex") stands for
the choice. A question without an answer counts as wrong. Lines that cannot be used are
reported with their line number and never silently skipped.
"""

from __future__ import annotations

import json
import re
import string
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from napkin.errors import InputError


@dataclass(slots=True)
class Question:
    id: str
    question: str
    answer: str
    page: str = ""
    choices: list[str] = field(default_factory=list)


@dataclass(slots=True)
class QAResult:
    """Accuracy over all questions, per page, and every problem met on the way."""

    accuracy: float
    correct: int
    total: int
    unanswered: int
    per_page: dict[str, float] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # malformed lines, duplicates, unknown ids
    wrong: list[dict[str, str]] = field(default_factory=list)  # id, expected, given (first 100)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_ARTICLES = re.compile(r"\b(a|an|the)\b")
_DIGIT_GROUPS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_PUNCT = str.maketrans("", "", string.punctuation.replace(".", "") + "“”‘’")
_YES, _NO = {"yes", "y", "true", "correct"}, {"no", "n", "false", "incorrect"}
_LETTER = re.compile(r"^\(?([a-zA-Z])\)?[.:)]?(?:\s+(.*))?$", re.S)


def normalize(text: str) -> str:
    """Lowercase, without punctuation, articles or extra spaces; yes/no synonyms folded."""
    t = _DIGIT_GROUPS.sub("", str(text).strip().lower())
    t = t.translate(_PUNCT)
    t = re.sub(r"(?<!\d)\.|\.(?!\d)", " ", t)  # full stops go, decimal points stay
    t = " ".join(_ARTICLES.sub(" ", t).split())
    if t in _YES:
        return "yes"
    if t in _NO:
        return "no"
    return t


def _as_choice(answer: str, choices: list[str]) -> str | None:
    """The choice a letter answer stands for ("B", "(b)", "B.", "B) Globex"), or None."""
    m = _LETTER.match(answer.strip())
    if not m:
        return None
    index = ord(m.group(1).lower()) - ord("a")
    if not 0 <= index < len(choices):
        return None
    rest = m.group(2)
    # "a dog" is an answer, not choice A, unless choice A is "dog".
    if rest and normalize(rest) != normalize(choices[index]):
        return None
    return choices[index]


def is_correct(given: str, q: Question) -> bool:
    """Whether `given` answers `q` (see the module's doc for what counts as equal)."""
    expected = {normalize(q.answer)}
    if q.choices:
        gold_choice = _as_choice(q.answer, q.choices)
        if gold_choice is not None:
            expected.add(normalize(gold_choice))
        chosen = _as_choice(given, q.choices)
        if chosen is not None:
            given = chosen
    return normalize(given) in expected


def _read_jsonl(path: Path, problems: list[str]) -> list[tuple[int, dict[str, Any]]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    rows = []
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{path.name}:{no}: not JSON ({exc.msg})")
            continue
        if not isinstance(obj, dict):
            problems.append(f"{path.name}:{no}: not a JSON object")
            continue
        rows.append((no, obj))
    return rows


def read_questions(path: str | Path, problems: list[str] | None = None) -> list[Question]:
    """Questions from a JSONL file; unusable lines are described in `problems`."""
    path = Path(path)
    problems = problems if problems is not None else []
    out: list[Question] = []
    seen: set[str] = set()
    for no, obj in _read_jsonl(path, problems):
        missing = [k for k in ("id", "question", "answer") if not isinstance(obj.get(k), str | int | float) or obj.get(k) == ""]
        if missing:
            problems.append(f"{path.name}:{no}: missing or empty {', '.join(missing)}")
            continue
        qid = str(obj["id"])
        if qid in seen:
            problems.append(f"{path.name}:{no}: id {qid!r} appears again; the first one counts")
            continue
        choices = obj.get("choices") or []
        if not isinstance(choices, list) or not all(isinstance(c, str | int | float) for c in choices):
            problems.append(f"{path.name}:{no}: choices must be a list of strings")
            continue
        seen.add(qid)
        out.append(Question(qid, str(obj["question"]), str(obj["answer"]), str(obj.get("page", "")), [str(c) for c in choices]))
    if not out:
        raise InputError(f"{path} holds no usable questions ({len(problems)} problems: {'; '.join(problems[:3])})")
    return out


def qa_accuracy(questions: str | Path | list[Question], answers: str | Path | dict[str, str]) -> QAResult:
    """Score answers against questions: accuracy overall and per page, with every problem listed."""
    problems: list[str] = []
    qs = questions if isinstance(questions, list) else read_questions(questions, problems)
    given: dict[str, str] = {}
    if isinstance(answers, dict):
        given = {str(k): str(v) for k, v in answers.items()}
    else:
        apath = Path(answers)
        known = {q.id for q in qs}
        for no, obj in _read_jsonl(apath, problems):
            if "id" not in obj or not isinstance(obj.get("answer"), str | int | float) or isinstance(obj.get("answer"), bool):
                problems.append(f"{apath.name}:{no}: needs an id and a text answer")
                continue
            aid = str(obj["id"])
            if aid not in known:
                problems.append(f"{apath.name}:{no}: no question has id {aid!r}")
            elif aid in given:
                problems.append(f"{apath.name}:{no}: a second answer to {aid!r}; the first one counts")
            else:
                given[aid] = str(obj["answer"])
    per_page: dict[str, list[bool]] = defaultdict(list)
    wrong: list[dict[str, str]] = []
    correct = unanswered = 0
    for q in qs:
        answer = given.get(q.id)
        ok = answer is not None and is_correct(answer, q)
        unanswered += answer is None
        correct += ok
        per_page[q.page].append(ok)
        if not ok and len(wrong) < 100:
            wrong.append({"id": q.id, "expected": q.answer, "given": "" if answer is None else answer})
    return QAResult(
        accuracy=correct / len(qs),
        correct=correct,
        total=len(qs),
        unanswered=unanswered,
        per_page={p: sum(v) / len(v) for p, v in sorted(per_page.items())},
        problems=problems,
        wrong=wrong,
    )
