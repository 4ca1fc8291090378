"""WUB-style question answering accuracy from JSONL files, malformed lines included."""

from __future__ import annotations

import json

import pytest

from napkin.errors import InputError
from napkin.score import qa_accuracy, read_questions
from napkin.score._qa import Question, is_correct, normalize


def write(path, rows):
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n")
    return path


def test_normalisation():
    assert normalize("  The Price is $1,000.50. ") == "price is 1000.50"
    assert normalize("Yes.") == normalize("TRUE") == "yes"
    assert normalize("No") == "no"


def test_choices_by_letter_or_text():
    q = Question("1", "Which company?", "Globex", choices=["Acme", "Globex"])
    assert all(is_correct(a, q) for a in ["B", "(b)", "b.", "B) Globex", "globex!"])
    assert not any(is_correct(a, q) for a in ["A", "Acme", "a dog", "C"])
    assert is_correct("Globex", Question("2", "?", "B", choices=["Acme", "Globex"]))


def test_accuracy_with_every_kind_of_bad_line(tmp_path):
    questions = write(tmp_path / "q.jsonl", [
        {"id": "q1", "page": "p1", "question": "Site name?", "answer": "Acme"},
        {"id": "q2", "page": "p1", "question": "Is there a login button?", "answer": "yes"},
        {"id": "q3", "page": "p2", "question": "Price?", "answer": "$1,000"},
        {"id": "q4", "page": "p2", "question": "Colour?", "answer": "Red", "choices": ["Red", "Blue"]},
        "this is not json",
        {"id": "q5", "question": "No answer field"},
        {"id": "q1", "question": "duplicate", "answer": "x"},
        ["not", "an", "object"],
        {"id": "q6", "question": "bad choices", "answer": "a", "choices": "a,b"},
    ])
    answers = write(tmp_path / "a.jsonl", [
        {"id": "q1", "answer": "acme"},
        {"id": "q2", "answer": "True"},
        {"id": "q3", "answer": "1000"},
        {"id": "q1", "answer": "second answer"},
        {"id": "q9", "answer": "unknown id"},
        {"id": "q4"},
        "{broken",
    ])
    r = qa_accuracy(questions, answers)
    assert (r.correct, r.total, r.unanswered) == (3, 4, 1)
    assert r.accuracy == 0.75 and r.per_page == {"p1": 1.0, "p2": 0.5}
    assert r.wrong == [{"id": "q4", "expected": "Red", "given": ""}]
    problems = "\n".join(r.problems)
    for expected in ("q.jsonl:5: not JSON", "q.jsonl:6: missing or empty answer", "q.jsonl:7: id 'q1' appears again",
                     "q.jsonl:8: not a JSON object", "q.jsonl:9: choices must be a list", "a.jsonl:4: a second answer",
                     "a.jsonl:5: no question has id 'q9'", "a.jsonl:6: needs an id and a text answer", "a.jsonl:7: not JSON"):
        assert expected in problems
    assert len(r.problems) == 9


def test_a_file_without_usable_questions_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no usable questions"):
        read_questions(write(tmp_path / "q.jsonl", ["nope", {"id": "x"}]))
    with pytest.raises(InputError, match="cannot read"):
        read_questions(tmp_path / "missing.jsonl")
