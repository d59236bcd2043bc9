"""Reference resolution (stance.actors.coref): pronouns, roles and quoted first persons → actors.

The short articles here are written for these tests.
"""

from __future__ import annotations

import pytest

from stance.actors import ActorExtractor
from stance.actors.coref import DEFAULT_RULES, reference_candidates, resolve_references


@pytest.fixture(scope="module")
def extractor() -> ActorExtractor:
    return ActorExtractor()


def resolve(extractor: ActorExtractor, text: str, rules=DEFAULT_RULES):
    cands = []
    analysis = extractor.analyse(text, on_doc=lambda off, doc: cands.extend(reference_candidates(doc, off)))
    refs = resolve_references(text, cands, analysis.actors, analysis.sentences, rules)
    for r in refs:
        assert text[r.span.start : r.span.end] == r.span.text
    return [(r.span.text, r.actor, r.rule) for r in refs]


def test_pronoun_and_possessive_follow_the_last_person(extractor) -> None:
    text = (
        "Senator Ana Ruiz attacked the mining bill on Monday. "
        "She said the measure would poison rivers, and her staff released a report."
    )
    refs = resolve(extractor, text)
    assert ("She", "Ana Ruiz", "pronoun") in refs
    assert ("her", "Ana Ruiz", "pronoun") in refs


def test_role_noun_resolves_to_the_titled_person(extractor) -> None:
    text = (
        "Governor Tom Hale signed an order closing the coal plant. "
        "Unions protested outside the capitol. The governor called the closure overdue."
    )
    assert ("governor", "Tom Hale", "role") in resolve(extractor, text)


def test_role_noun_needs_a_bare_definite(extractor) -> None:
    text = "President Lula Moreno opened the summit. The vice president then left early."
    assert not [r for r in resolve(extractor, text) if r[2] == "role"]


def test_quoted_first_person_is_the_speaker(extractor) -> None:
    text = (
        "Mayor Lena Ortiz spoke after the council vote. "
        "“We will fight this in court. Our city deserves better,” she said."
    )
    refs = resolve(extractor, text)
    assert ("We", "Lena Ortiz", "quote") in refs or ("Our", "Lena Ortiz", "quote") in refs


def test_no_reference_when_the_name_is_in_the_sentence(extractor) -> None:
    text = "Senator Ana Ruiz said she opposes the bill."
    assert resolve(extractor, text) == []


def test_rules_can_be_switched_off_and_are_checked(extractor) -> None:
    text = "Senator Ana Ruiz attacked the bill. She said it was cruel."
    assert resolve(extractor, text, rules=()) == []
    with pytest.raises(ValueError, match="unknown reference rule"):
        resolve_references(text, [], [], [], rules=("telepathy",))


def test_capital_stands_for_its_government(extractor) -> None:
    actors = extractor.extract("Beijing condemned the new tariffs, and Brussels said it would respond.")
    names = [a.name for a in actors]
    assert "China" in names and "European Union" in names


def test_pipeline_scores_the_pronoun_as_the_actor(tiny_model) -> None:
    from stance.pipeline import Pipeline

    text = "Senator Ana Ruiz attacked the mining bill on Monday. She said the levy would poison rivers."
    prep = Pipeline(model=tiny_model).prepare(text)
    second = [p for p in prep.plans if p.sentence.text.startswith("She")]
    assert second and any(actor == "Ana Ruiz" for _s, _t, actor, *_ in second[0].pairs)
    off = Pipeline(model=tiny_model, references=()).prepare(text)  # the old he/she rule still applies
    assert any(p.sentence.text.startswith("She") for p in off.plans)
    with pytest.raises(ValueError, match="references"):
        Pipeline(model=tiny_model, references=("nope",))


def test_bare_surname_the_parser_missed_is_a_mention(extractor) -> None:
    text = 'Senator Ana Ruiz spoke after the vote. "This bill is a disaster for our rivers," Ruiz said.'
    ruiz = next(a for a in extractor.extract(text) if a.name == "Ana Ruiz")
    assert [m.text for m in ruiz.mentions] == ["Ana Ruiz", "Ruiz"]
    assert all(text[m.start : m.end] == m.text for m in ruiz.mentions)


def test_surname_shared_by_two_people_is_left_alone() -> None:
    from stance.actors.extractor import add_surname_mentions
    from stance.results import Actor, Span

    text = "Ana Ruiz and Carlos Ruiz met. Ruiz left."
    actors = [
        Actor("Ana Ruiz", "person", (Span(0, 8, "Ana Ruiz"),)),
        Actor("Carlos Ruiz", "person", (Span(13, 24, "Carlos Ruiz"),)),
    ]
    assert add_surname_mentions(text, actors) == actors


def test_quote_speakers_cover_unattributed_quoted_sentences(extractor) -> None:
    from stance.actors.coref import quote_speakers

    text = (
        'Senator Ana Ruiz spoke after the vote on the mining bill. "This bill is a disaster," Ruiz said. '
        '"It will poison the water. Nobody in the valley wants it." The bill passed anyway.'
    )
    analysis = extractor.analyse(text)
    speakers = quote_speakers(text, analysis.actors, analysis.sentences)
    quoted = {analysis.sentences[i].text: name for i, name in speakers.items()}
    assert quoted == {'"It will poison the water.': "Ana Ruiz", 'Nobody in the valley wants it."': "Ana Ruiz"}


def test_pipeline_reads_a_quoted_sentence_with_its_speaker(tiny_model) -> None:
    from stance.pipeline import Pipeline

    text = (
        'Senator Ana Ruiz spoke after the vote on the mining bill. "This bill is a disaster," Ruiz said. '
        '"It will poison the water."'
    )
    prep = Pipeline(model=tiny_model).prepare(text)  # on by default
    last = prep.windows[-1].window
    assert last.text == 'Ana Ruiz said: "It will poison the water."' and last.spans[0] == (0, 8)
    assert prep.plans[-1].sentence.text == '"It will poison the water."'  # evidence is the sentence itself
    off = Pipeline(model=tiny_model, quote_context=False).prepare(text)
    assert all(not w.window.text.startswith("Ana Ruiz said:") for w in off.windows)


def test_sentence_initial_pronoun_takes_the_previous_subject(extractor) -> None:
    text = "Senator Ana Ruiz praised Governor Tom Hale on Monday. She said the levy would pass."
    assert ("She", "Ana Ruiz", "pronoun") in resolve(extractor, text)


def test_it_rule_is_optional(extractor) -> None:
    text = "The National Grocers Association criticised the sugar levy. It said the levy would cost jobs."
    assert not any(r[2] == "it" for r in resolve(extractor, text))  # not a default rule
    assert ("It", "National Grocers Association", "it") in resolve(extractor, text, rules=("it",))


def test_it_rule_takes_the_previous_sentence_subject_only(extractor) -> None:
    rules = ("pronoun", "it")
    text = "The National Grocers Association wrote to ministers about the sugar levy. It said the levy would cost jobs."
    assert ("It", "National Grocers Association", "it") in resolve(extractor, text, rules=rules)
    # the association is named, but not as the subject of the sentence before: no resolution
    text = "Ministers wrote to the National Grocers Association about the sugar levy. It said the levy would cost jobs."
    assert not any(r[2] == "it" for r in resolve(extractor, text, rules=rules))


def test_a_body_noun_takes_the_organisation_it_names(extractor) -> None:
    text = (
        "The Harbour Pilots Union rejected the new shift rules on Monday. The union said the rules were unsafe. "
        "Ocean Watch blocked the terminal. The group said the dredging must stop."
    )
    refs = resolve(extractor, text, ("body",))
    assert ("union", "Harbour Pilots Union", "body") in refs  # the organisation whose name ends in "Union"
    assert ("group", "Ocean Watch", "body") in refs  # a generic noun: the subject of the sentence before


def test_a_generic_body_noun_without_an_organisation_before_it_stays_unresolved(extractor) -> None:
    text = "Norway signed the accord. The group said talks would go on."
    assert resolve(extractor, text, ("body",)) == []  # a country is not "the group"
