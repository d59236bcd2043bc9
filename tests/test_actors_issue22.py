"""Actors: short forms merge with the full name; only state bodies roll up to a country. Texts written for these
tests."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("short, long", [("Commission", "European Commission")])
def test_short_form_merges_with_the_organisation(short: str, long: str) -> None:
    from stance.actors import extract_actors

    text = f"The {long} proposed duties on steel. The {short} said the duties would protect jobs."
    actors = [a for a in extract_actors(text) if a.kind == "organisation"]
    assert [a.name for a in actors] == [long]
    assert [m.text for m in actors[0].mentions] == [long, short]


def test_house_is_not_the_white_house() -> None:
    from stance.actors import extract_actors

    actors = extract_actors("The White House criticised the bill. The House passed it anyway.")
    assert not any({"White House", "House"} <= {m.text for m in a.mentions} for a in actors)


def test_only_state_bodies_speak_for_a_country() -> None:
    from stance.actors import extract_actors

    text = (
        "The German Automobile Association criticised the tariffs. The Iranian Foreign Ministry rejected the talks. "
        "Israel's Prime Minister Benjamin Netanyahu urged action."
    )
    aff = {a.name: a.affiliation and a.affiliation.name for a in extract_actors(text)}
    assert aff["German Automobile Association"] is None
    assert aff["Iranian Foreign Ministry"] == "Iran"
    assert aff["Benjamin Netanyahu"] == "Israel"


def test_no_headline_fragments_as_actors() -> None:
    from stance.actors import extract_actors

    text = (
        "Mayor Vetoes Transit Levy After Council Clash\n"
        "Mayor Lena Ortiz vetoed the transit levy on Friday. The council had approved it."
    )
    names = [a.name for a in extract_actors(text)]
    assert "Lena Ortiz" in names
    assert not [n for n in names if "Vetoes" in n or "Clash" in n]


def test_actors_stay_in_reading_order_when_a_bare_surname_comes_first() -> None:
    from stance.actors import extract_actors

    text = "Protesters  Israel's Prime Minister Iran Protesters "  # found by hypothesis (test_actors_chunks)
    firsts = [a.mentions[0].start for a in extract_actors(text)]
    assert firsts == sorted(firsts)


def test_an_organisation_of_a_place_keeps_its_whole_name() -> None:
    from stance.actors import extract_actors

    text = "The Law Society of Kenya said it would challenge the levy. Farmers in Kenya backed it."
    names = {a.name: a for a in extract_actors(text)}
    assert "Law Society of Kenya" in names and "Law Society" not in names
    assert names["Law Society of Kenya"].affiliation is None  # a professional body does not speak for Kenya
    assert [m.text for m in names["Kenya"].mentions] == ["Kenya"]  # the later mention, not the one in the name


def test_the_greens_are_a_party_and_leafy_greens_are_not() -> None:
    from stance.actors import extract_actors

    actors = {a.name: a for a in extract_actors("Labour backed the levy, but the Greens said it went too far.")}
    assert actors["Greens"].kind == "group" and "Labour Party" in actors
    assert all(a.name != "Greens" for a in extract_actors("Shoppers bought leafy greens and green beans."))
