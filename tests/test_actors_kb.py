"""The actor knowledge base: shipped data, look-ups, user aliases (no spaCy needed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stance.actors.kb import KBEntry, KnowledgeBase, load_aliases, normalise_surface

KB_DIR = Path(__file__).resolve().parent.parent / "stance" / "resources" / "kb"


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return KnowledgeBase.default()


def test_shipped_files_have_sources() -> None:
    for name in ("countries.json", "organisations.json", "persons.json"):
        doc = json.loads((KB_DIR / name).read_text(encoding="utf-8"))
        assert doc["schema"] == 1 and doc["entries"]
        for e in doc["entries"]:
            assert e["source"] in ("pycountry", "curated", "countryinfo", "user")
            for field in ("aliases", "demonyms", "plurals", "metonyms"):
                for fact in e.get(field, []):
                    assert fact["source"] in ("pycountry", "countryinfo", "curated", "derived"), (e["name"], fact)


def test_curated_countries_have_demonym_and_capital() -> None:
    doc = json.loads((KB_DIR / "countries.json").read_text(encoding="utf-8"))
    curated = [e for e in doc["entries"] if e["source"] == "curated" and e.get("category") == "state"]
    assert len(curated) >= 60
    missing = [
        e["name"]
        for e in curated
        if e["name"] not in ("Vatican", "Republic of the Congo") and not (e["demonyms"] and e["capital"])
    ]
    assert missing == []


@pytest.mark.parametrize(
    "surface,name,via",
    [
        ("US", "United States", "alias"),
        ("U.S.", "United States", "alias"),
        ("the United States", "United States", "name"),
        ("America", "United States", "alias"),
        ("Washington", "United States", "metonym"),
        ("the White House", "United States", "metonym"),
        ("Iranian", "Iran", "demonym"),
        ("Israeli", "Israel", "demonym"),
        ("Tehran", "Iran", "metonym"),
        ("Iran, Islamic Republic of", "Iran", "alias"),
        ("Britain", "United Kingdom", "alias"),
        ("Türkiye", "Turkey", "alias"),
        ("Kremlin", "Russia", "metonym"),
        ("Hizbollah", "Hezbollah", "alias"),
        ("Houthis", "Houthis", "name"),
        ("Democrats", "Democratic Party", "alias"),
        ("GOP", "Republican Party", "alias"),
        ("Trump", "Donald Trump", "alias"),
        ("Xi", "Xi Jinping", "alias"),
        ("IAEA", "IAEA", "name"),
        ("Palestinians", "Palestine", "plural"),
    ],
)
def test_lookup(kb: KnowledgeBase, surface: str, name: str, via: str) -> None:
    hit = kb.lookup(surface)
    assert hit is not None and hit.entry.name == name and hit.via == via


def test_lookup_is_case_careful(kb: KnowledgeBase) -> None:
    assert kb.lookup("us") is None
    assert kb.lookup("HEZBOLLAH").entry.name == "Hezbollah"


def test_persons_have_state(kb: KnowledgeBase) -> None:
    for name, state in [
        ("Donald Trump", "United States"),
        ("Benjamin Netanyahu", "Israel"),
        ("Ali Khamenei", "Iran"),
        ("Vladimir Putin", "Russia"),
        ("Volodymyr Zelensky", "Ukraine"),
        ("Xi Jinping", "China"),
        ("Joe Biden", "United States"),
        ("Barack Obama", "United States"),
        ("Emmanuel Macron", "France"),
    ]:
        e = kb.get(name)
        assert e is not None and e.kind == "person" and e.affiliation == state and e.source == "curated"


def test_find_longest_and_boundaries(kb: KnowledgeBase) -> None:
    found = [
        (s.text, h.entry.name)
        for s, h in kb.find("Saudi Arabia and Iran’s allies met in Xi'an, not the U.S.-Oman talks.")
    ]
    assert ("Saudi Arabia", "Saudi Arabia") in found
    assert ("Iran", "Iran") in found
    assert all(t != "Xi" for t, _ in found)
    assert ("U.S.", "United States") in found and ("Oman", "Oman") in found


def test_find_offsets(kb: KnowledgeBase) -> None:
    text = "Hamas and Hezbollah warned Israel."
    for span, _ in kb.find(text):
        assert text[span.start : span.end] == span.text


def test_normalise_surface() -> None:
    assert normalise_surface("  the   White House’s ") == "White House"
    assert normalise_surface("The Kremlin") == "Kremlin"


def test_with_aliases_add_override_rename(kb: KnowledgeBase) -> None:
    k2 = kb.with_aliases({"POTUS": "United States", "Washington": "Washington State", "Iran": "Persia"})
    assert k2.lookup("POTUS").entry.name == "United States"
    assert k2.lookup("Washington").entry.name == "Washington State"
    assert k2.lookup("Washington").entry.source == "user"
    assert k2.lookup("Tehran").entry.name == "Persia"  # renamed entry keeps its surfaces
    assert k2.get("Ali Khamenei").affiliation == "Persia"
    assert kb.lookup("Iran").entry.name == "Iran"  # the original is untouched


def test_with_aliases_kind(kb: KnowledgeBase) -> None:
    k2 = kb.with_aliases({"the Squad": {"name": "The Squad", "kind": "group", "affiliation": "Democratic Party"}})
    e = k2.lookup("the Squad").entry
    assert (e.name, e.kind, e.affiliation) == ("The Squad", "group", "Democratic Party")


def test_with_aliases_bad_input(kb: KnowledgeBase) -> None:
    with pytest.raises(ValueError):
        kb.with_aliases({"X": {"kind": "group"}})
    with pytest.raises(ValueError):
        kb.with_aliases({"X": {"name": "Y", "kind": "planet"}})


def test_load_aliases_formats(tmp_path: Path) -> None:
    tsv = tmp_path / "a.tsv"
    tsv.write_text("# comment\nPOTUS\tUnited States\nAcme\tAcme Corp\torganisation\n", encoding="utf-8")
    assert load_aliases(tsv) == {
        "POTUS": {"name": "United States"},
        "Acme": {"name": "Acme Corp", "kind": "organisation"},
    }
    js = tmp_path / "a.json"
    js.write_text(json.dumps([{"alias": "POTUS", "name": "United States"}]), encoding="utf-8")
    assert load_aliases(js) == {"POTUS": {"name": "United States"}}
    with pytest.raises(FileNotFoundError):
        load_aliases(tmp_path / "missing.tsv")
    bad = tmp_path / "bad.tsv"
    bad.write_text("only-one-column\n", encoding="utf-8")
    with pytest.raises(ValueError):
        load_aliases(bad)


def test_entry_to_dict_and_kind_check() -> None:
    e = KBEntry(id="x", name="X", kind="organisation")
    assert e.to_dict()["name"] == "X"
    with pytest.raises(ValueError):
        KBEntry(id="y", name="Y", kind="planet")


def test_build_script_is_in_sync() -> None:
    pytest.importorskip("countryinfo")
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_kb", KB_DIR / "build_kb.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(mod)
    assert mod.main(["--check"]) == 0
