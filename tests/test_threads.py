"""One classifier used from several threads gives what one thread gives."""

from __future__ import annotations

import threading

from tests.conftest import SEED_ARTICLE

ARTICLES = [
    "Qatar warned against military escalation. Israel urges immediate action against Iran.",
    "Iran hailed the talks in Oman as a good start. The United States demanded that Iran give up its nuclear program.",
    "Turkey and Saudi Arabia backed diplomacy. President Trump threatened strikes if the talks fail.",
    "Protesters criticised the government. The minister rejected the deal. France supports sanctions.",
    "Die Regierung in Berlin begrüßte die Gespräche mit Frankreich und Polen, obwohl es Streit gibt.",
    "",
]


def _run_threads(n: int, work) -> list:
    out: list = [None] * n
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def run(i: int) -> None:
        try:
            barrier.wait()
            out[i] = work(i)
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    assert not errors, errors
    return out


def test_four_threads_equal_one(tiny_model):
    from stance.pipeline import Pipeline

    seed = SEED_ARTICLE.read_text(encoding="utf-8")
    texts = ARTICLES + [seed]
    pipe = Pipeline(model=tiny_model)
    expected = [r.to_dict() for r in pipe.classify_many(texts, batch_size=2)]
    assert any(r["actors"] for r in expected)

    def work(i: int) -> list:
        order = texts[i:] + texts[:i]  # every thread in another order, so different texts overlap
        got = [pipe.classify(t).to_dict() for t in order] + [
            r.to_dict() for r in pipe.classify_many(order, batch_size=3)
        ]
        n = len(order)
        return [got[(k - i) % n] for k in range(n)] + [got[n + (k - i) % n] for k in range(n)]

    for per_thread in _run_threads(4, work):
        assert per_thread == expected + expected


def test_threads_share_the_cached_default_path(tiny_model):
    """stance.classify with one loaded model from 4 threads (fresh pipelines on one model and spaCy)."""
    import stance

    expected = [stance.classify(t, model=tiny_model).to_dict() for t in ARTICLES]
    for per_thread in _run_threads(4, lambda i: [stance.classify(t, model=tiny_model).to_dict() for t in ARTICLES]):
        assert per_thread == expected
