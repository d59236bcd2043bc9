"""Every ``str`` Python can hold is classified with exact offsets or refused with a ValueError
naming the position and the fix (property-based, over arbitrary unicode)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SURROGATE = re.compile("[\ud800-\udfff]")

SENTENCES = [
    "Qatar warned against military escalation.",
    "Israel urges immediate action against Iran.",
    "President Trump threatened strikes if the talks fail.",
    "Iran hailed the talks in Oman as a good start.",
    "Die Regierung in Berlin begrüßte die Gespräche.",
    "<p>Turkey backed diplomacy.</p>",
]
SPECIAL = [
    "\x00",
    "\r\n",
    "\r",
    "\n\n",
    "\u2028",
    "\u2029",
    "\x85",
    "\x0b",
    "\x0c",
    "\t",
    " ",
    "\u202e",
    "\u202d",
    "\u200f",
    "\u200e",
    "\u2066",
    "\u2069",
    "\u061c",  # bidi controls
    "\u0301",
    "e\u0301",
    "\u0308\u0308\u0308",
    "\u200d",
    "\u200b",
    "\ufeff",
    "\ufffd",  # combining, joiners
    "\ud800",
    "\udfff",
    "\udc80",
    "\ud83d\ude00",  # lone surrogates, and a pair (two lone ones to Python)
    "😀",
    "👩‍👩‍👧",
    "ﬁ",
    "İ",
    "ß",
    "Σ",
    "\U0010ffff",
    "\uffff",
    "\x7f",
    "\x1b[31m",
]
ANY_CHAR = st.characters(codec=None, exclude_categories=())  # every code point, surrogates included
PIECES = st.one_of(
    st.sampled_from(SENTENCES),
    st.sampled_from(SPECIAL),
    st.text(ANY_CHAR, max_size=12),
)
TEXTS = st.one_of(
    st.text(ANY_CHAR, max_size=60),
    st.lists(PIECES, max_size=14).map(" ".join),
    st.lists(PIECES, max_size=14).map("".join),
)


def spans(obj: Any):
    """Every ``{start, end, text}`` dict in a result's ``to_dict()``."""
    if isinstance(obj, dict):
        if {"start", "end", "text"} <= obj.keys():
            yield obj
        for v in obj.values():
            yield from spans(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from spans(v)


def check_contract(call, text: str) -> int:
    """Call ``call(text)``; assert the contract; return the number of spans checked."""
    bad = SURROGATE.search(text)
    try:
        result = call(text)
    except ValueError as err:
        assert bad is not None, f"refused a valid text {text!r}: {err}"
        assert f"at position {bad.start()} " in str(err), str(err)
        assert "encode('utf-8', 'replace')" in str(err)
        fixed = text.encode("utf-8", "replace").decode("utf-8")
        assert len(fixed) == len(text) and SURROGATE.search(fixed) is None  # the advice keeps offsets
        return 0
    assert bad is None, f"accepted a lone surrogate at {bad.start()} in {text!r}"
    found = list(spans(result.to_dict()))
    for s in found:
        assert text[s["start"] : s["end"]] == s["text"], (s, text)
    return len(found)


@pytest.fixture(scope="module")
def pipe(tiny_model):
    from stance.pipeline import Pipeline

    return Pipeline(model=tiny_model)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(text=TEXTS)
def test_every_str_is_classified_with_exact_offsets_or_refused(pipe, text):
    check_contract(pipe.classify, text)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(text=TEXTS, target=st.text(ANY_CHAR, max_size=20))
def test_targets_follow_the_same_contract(pipe, text, target):
    bad_target = SURROGATE.search(target)
    try:
        result = pipe.classify(text, targets=[target])
    except ValueError as err:
        assert SURROGATE.search(text) or bad_target, str(err)
        return
    assert SURROGATE.search(text) is None and bad_target is None
    for s in spans(result.to_dict()):
        assert text[s["start"] : s["end"]] == s["text"]


def test_contract_holds_on_the_public_entry_points(tiny_model):
    import stance

    text = (
        "Qatar warned against military escalation.\u2028Israel urges action\x00 against Iran.\r\n"
        "\u202eIran hailed the talks\u202c in Oman.\u0301 President Trump threatened strikes."
    )
    assert check_contract(lambda t: stance.classify(t, model=tiny_model), text) > 0
    for entry in (
        lambda t: stance.classify(t, model=tiny_model),
        lambda t: stance.classify_many(["ok", t], model=tiny_model)[1],
        lambda t: next(iter(stance.classify_iter([t], model=tiny_model))),
    ):
        with pytest.raises(ValueError, match=r"lone surrogate '\\udc80' at position 6 "):
            entry("Qatar \udc80warned.")
    with pytest.raises(ValueError, match=r"texts\[1\] holds a lone surrogate"):
        stance.classify_many(["ok", "bad \ud800"], model=tiny_model)
    with pytest.raises(ValueError, match=r"targets\[0\] holds a lone surrogate"):
        stance.classify("Qatar warned.", targets=["\ud800"], model=tiny_model)


def test_corpus_row_with_a_surrogate_is_named(tmp_path):
    from stance.corpus import read_articles

    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "a", "text": "fine"}\n{"id": "b", "text": "broken \\ud800 escape"}\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 2: text holds a lone surrogate '\\ud800' at position 7"):
        read_articles(path)
