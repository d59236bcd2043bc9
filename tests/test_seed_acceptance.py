"""Acceptance: each shipped model recovers who stands where in the seed article, and in
articles the test writes itself with the roles swapped or another topic.

Marked ``slow``: they load the shipped models (seconds on CPU). The accurate model needs its
base encoder (``stance setup``); their tests skip while it is not in the package."""

from __future__ import annotations

import importlib.metadata

import pytest

from stance.models import SHIPPED_MODELS, shipped_model_path
from tests.conftest import SEED_ARTICLE

pytestmark = [pytest.mark.slow]


def _base_installed() -> bool:
    from stance.models.base import MPNET

    try:
        importlib.metadata.distribution(MPNET.packages[0])
    except importlib.metadata.PackageNotFoundError:
        return False
    return True


@pytest.fixture(scope="module", params=sorted(SHIPPED_MODELS))
def model(request):
    name = request.param
    if not (shipped_model_path(name) / "config.json").is_file():
        pytest.skip(f"the {name} model is not in this checkout")
    if (shipped_model_path(name) / "adapter_config.json").is_file() and not _base_installed():
        pytest.skip(f"the {name} model's base encoder is not installed: run `stance setup`")
    return name


ESCALATION = ("escalat", "military action", "strike", "force", "action")
THREATS = ("threat",)


def _issue_phrases(result, name):
    for issue in result.issues:
        if issue.name == name:
            return (issue.name, *issue.phrases)
    return (name,)


def _stance_on(result, actor, keywords):
    """Stances of ``actor`` (direct, not rolled up) on issues whose phrases mention a keyword."""
    out = set()
    for p in result.positions:
        if p.actor == actor and p.via is None:
            phrases = " ".join(_issue_phrases(result, p.target)).lower()
            if any(k in phrases for k in keywords):
                out.add(p.stance)
    return out


def _evidence_of(result, actor, stance):
    return [e.sentence.text for p in result.positions if p.actor == actor and p.stance == stance for e in p.evidence]


@pytest.fixture(scope="module")
def seed_result(model):
    import stance

    return stance.classify(SEED_ARTICLE.read_text(encoding="utf-8"), model=model)


@pytest.mark.parametrize("actor", ["Qatar", "Turkey", "Saudi Arabia"])
def test_gulf_and_turkey_against_escalation(seed_result, actor):
    assert "against" in _stance_on(seed_result, actor, ESCALATION), str(seed_result)
    assert any("warned against military escalation" in s for s in _evidence_of(seed_result, actor, "against"))


def test_israel_for_military_action(seed_result):
    assert "favor" in _stance_on(seed_result, "Israel", ESCALATION), str(seed_result)
    assert any("urges immediate action" in s for s in _evidence_of(seed_result, "Israel", "favor"))


def test_iran_against_us_threats(seed_result):
    """The article gives Iran's side through its foreign minister ("Araghchi warned that further
    dialogue depends on the US halting threats against Iran"), so Iran holds the position
    directly or rolled up from him (``via``), with that sentence among its evidence."""
    held = [
        p
        for p in seed_result.positions
        if p.actor == "Iran"
        and p.stance == "against"
        and any(k in " ".join(_issue_phrases(seed_result, p.target)).lower() for k in THREATS + ESCALATION)
    ]
    assert any("halting threats" in e.sentence.text for p in held for e in p.evidence), str(seed_result)


def test_united_states_for_action(seed_result):
    assert "favor" in _stance_on(seed_result, "United States", ESCALATION + THREATS), str(seed_result)
    evidence = " ".join(_evidence_of(seed_result, "United States", "favor"))
    assert "threats of action" in evidence or "military action" in evidence, str(seed_result)


def test_united_states_not_against_its_own_strike_or_threats(seed_result):
    """The two readings issue #22 named as errors: "the US launched a devastating strike" and
    "dialogue depends on the US halting threats" (the US is asked to act; it states no stance)."""
    assert "against" not in _stance_on(seed_result, "United States", ("strike",)), str(seed_result)
    assert "against" not in _stance_on(seed_result, "United States", THREATS), str(seed_result)


def test_roles_swapped(model):
    import stance

    text = (
        "Israel, Egypt and Jordan have warned against military escalation, fearing destabilization. "
        "Qatar, however, urges immediate action."
    )
    r = stance.classify(text, model=model)
    for actor in ("Israel", "Egypt", "Jordan"):
        assert "against" in _stance_on(r, actor, ESCALATION), str(r)
    assert "favor" in _stance_on(r, "Qatar", ESCALATION), str(r)


def test_other_topic(model):
    import stance

    text = (
        "Germany and France have rejected the proposed carbon levy, saying it would hurt industry. "
        "Sweden, however, strongly supports the carbon levy and urged the European Union to adopt it quickly."
    )
    r = stance.classify(text, model=model)
    for actor in ("Germany", "France"):
        assert "against" in _stance_on(r, actor, ("levy",)), str(r)
    assert "favor" in _stance_on(r, "Sweden", ("levy",)), str(r)


def test_user_targets_worded_differently(model):
    import stance

    r = stance.classify(SEED_ARTICLE.read_text(encoding="utf-8"), targets=["military action against Iran"], model=model)
    stances = {p.actor: p.stance for p in r.positions if p.via is None}
    assert stances.get("Israel") == "favor", str(r)
    assert stances.get("Qatar") == "against", str(r)


def test_shipped_model_is_offline_and_deterministic(model, monkeypatch):
    import socket

    from stance.models import load_model

    def no_network(*args, **kwargs):
        raise OSError("network blocked by test")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    loaded = load_model(model, cache=False)
    rec = [
        {
            "text": "Qatar warned against military escalation.",
            "source": "Qatar",
            "source_start": 0,
            "source_end": 5,
            "target": "military escalation",
            "target_start": 21,
            "target_end": 40,
        }
    ]
    a = loaded.predict_pairs(rec)
    b = loaded.predict_pairs(rec)
    assert (a == b).all()
