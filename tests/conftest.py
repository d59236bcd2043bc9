"""Shared fixtures: tiny random models built locally (no downloads)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
SEED_ARTICLE = REPO / "seeds" / "us_iran_talks_oman.txt"

WORDS = (
    "the a an of to in and for against with on by is was has have had are were be will would "
    "said says warned urges urged demanded threatened supports support opposes oppose backed praised "
    "criticised criticized attacked blamed welcomed rejected escalation military action strike strikes "
    "talks diplomacy sanctions deal war peace good bad start threats iran israel qatar turkey oman saudi "
    "arabia united states us president minister foreign prime trump netanyahu araghchi government "
    "protesters regime nuclear program tax levy carbon plan bill vote senate congress police mayor city "
    "france germany russia china ukraine . , ; ' \" ( ) [ ] : - ! ?"
).split()


def _write_vocab(path: Path) -> Path:
    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    letters = list("abcdefghijklmnopqrstuvwxyz0123456789")
    pieces = [f"##{c}" for c in letters]
    vocab = list(dict.fromkeys(special + WORDS + letters + pieces))
    path.write_text("\n".join(vocab) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tiny_encoder_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny random BERT encoder + WordPiece tokenizer saved as a transformers directory."""
    import torch
    from transformers import BertConfig, BertModel, BertTokenizerFast

    d = tmp_path_factory.mktemp("tiny_bert")
    vocab = _write_vocab(d / "vocab.txt").read_text(encoding="utf-8").split()
    tok = BertTokenizerFast(vocab={w: i for i, w in enumerate(vocab)}, do_lower_case=True)
    tok.save_pretrained(str(d))
    torch.manual_seed(0)
    config = BertConfig(
        vocab_size=tok.vocab_size,
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=256,
    )
    BertModel(config, add_pooling_layer=False).save_pretrained(str(d))
    return d


@pytest.fixture(scope="session")
def tiny_model(tiny_encoder_dir: Path):
    """A randomly initialised StanceModel on the tiny encoder."""
    import torch

    from stance.models.modeling import StanceModel

    torch.manual_seed(0)
    model = StanceModel.from_encoder(tiny_encoder_dir, max_length=96)
    model.eval()
    return model


@pytest.fixture(scope="session")
def tiny_model_dir(tiny_model, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny model saved as an fp32 model directory (for code that loads by path, e.g. workers)."""
    import torch

    return tiny_model.save_pretrained(tmp_path_factory.mktemp("tiny_model_dir") / "tiny-stance", dtype=torch.float32)


def results_close(a, b, tol: float = 1e-3) -> bool:
    """Same structure and strings; floats within ``tol`` (other processes may use other BLAS threads)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(results_close(a[k], b[k], tol) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(results_close(x, y, tol) for x, y in zip(a, b))
    if isinstance(a, float) or isinstance(b, float):
        return math.isclose(float(a), float(b), abs_tol=tol)
    return a == b
