"""Loader for PERSPECTRUM (Chen et al., NAACL 2019): does a perspective support or
undermine a claim.

Files (JSON): ``perspectrum_with_answers_v1.0.json`` (claims with perspective clusters and
their ``stance_label_3``), ``perspective_pool_v1.0.json`` (perspective texts by ``pId``),
``dataset_split_v1.0.json`` (claim id → train/dev/test).

Example:
    >>> dd = load_perspectrum("data/perspectrum")  # doctest: +SKIP
    >>> sum(d.num_rows for d in dd.values())  # doctest: +SKIP
    11822
"""

from __future__ import annotations

import logging
from collections import Counter
from os import PathLike
from typing import Any

from stance.data._io import DataFormatError, make_dataset_dict, read_json, require_dir, require_file, to_json
from stance.data.schema import AUTHOR, pair_features

logger = logging.getLogger(__name__)

__all__ = ["load_perspectrum"]

DATASET = "perspectrum"
CLAIMS = "perspectrum_with_answers_v1.0.json"
POOL = "perspective_pool_v1.0.json"
SPLIT = "dataset_split_v1.0.json"
LAYOUT = f"<data_dir>/{{{CLAIMS},{POOL},{SPLIT}}} (PERSPECTRUM v1.0 JSON files)"
_SPLITS = {"train": "train", "dev": "validation", "test": "test"}
_LABELS = {"support": "favor", "undermine": "against"}
_NOT_A_PERSPECTIVE = "not_a_perspective"


def _norm_label(raw: Any) -> str:
    return str(raw).strip().lower().replace("-", "_")


def load_perspectrum(data_dir: str | PathLike[str]) -> Any:
    """Load PERSPECTRUM perspective stance as pair rows (one per claim–perspective pair).

    ``text`` is the perspective sentence, ``target`` the claim, ``source``
    :data:`~stance.data.schema.AUTHOR` (the perspective's writer); all offsets are -1
    because neither the source nor the claim is a span of the perspective. Labels:
    ``stance_label_3`` SUPPORT → favor, UNDERMINE → against; clusters labelled
    ``not-a-perspective`` (none in v1.0) are skipped and counted. Every perspective id of
    a cluster gives one row. Split by claim from ``dataset_split_v1.0.json``: train/dev/test
    → ``train``/``validation``/``test``.

    ``doc_id`` is ``"claim-<cId>"``; ``group_id`` is ``"perspective-<pId>"`` (the same
    perspective text under several claims shares it). ``meta`` holds ``claim_id``,
    ``perspective_id``, ``cluster`` (index within the claim), ``stance_label_5``,
    ``voter_counts``, ``claim_source`` and ``perspective_source``.

    Args:
        data_dir: Folder with the three JSON files.

    Returns:
        ``DatasetDict`` with ``train``, ``validation`` and ``test`` (schema
        :func:`~stance.data.schema.pair_features`).

    Raises:
        FileNotFoundError: The folder or one of the files is missing.
        DataFormatError: A file does not have the documented structure, a claim has no
            split, a perspective id is not in the pool, or a label is unknown.

    Example:
        >>> dd = load_perspectrum("data/perspectrum")  # doctest: +SKIP
        >>> dd["validation"][0]["source"]  # doctest: +SKIP
        '<author>'
    """
    root = require_dir(data_dir, layout=LAYOUT)
    claims_path = require_file(root / CLAIMS, layout=LAYOUT)
    pool_path = require_file(root / POOL, layout=LAYOUT)
    split_path = require_file(root / SPLIT, layout=LAYOUT)

    split_of = read_json(split_path)
    if not isinstance(split_of, dict):
        raise DataFormatError("expected an object mapping claim id to train/dev/test", path=split_path)
    pool_raw = read_json(pool_path)
    if not isinstance(pool_raw, list) or not all(isinstance(p, dict) and "pId" in p and "text" in p for p in pool_raw):
        raise DataFormatError("expected a list of {pId, text, source} objects", path=pool_path)
    pool = {int(p["pId"]): p for p in pool_raw}
    claims = read_json(claims_path)
    if not isinstance(claims, list):
        raise DataFormatError("expected a list of claims", path=claims_path)

    splits: dict[str, list[dict[str, Any]]] = {name: [] for name in _SPLITS.values()}
    skipped: dict[str, Counter[str]] = {name: Counter() for name in _SPLITS.values()}
    for i, claim in enumerate(claims):
        if not isinstance(claim, dict) or not {"cId", "text", "perspectives"} <= set(claim):
            raise DataFormatError(f"claim #{i} must have cId, text and perspectives", path=claims_path)
        cid = claim["cId"]
        raw_split = split_of.get(str(cid))
        if raw_split not in _SPLITS:
            raise DataFormatError(
                f"claim {cid} has split {raw_split!r}; expected one of {sorted(_SPLITS)}", path=split_path
            )
        split = _SPLITS[raw_split]
        for k, cluster in enumerate(claim["perspectives"]):
            if not isinstance(cluster, dict) or "pids" not in cluster or "stance_label_3" not in cluster:
                raise DataFormatError(f"claim {cid}, cluster #{k}: needs pids and stance_label_3", path=claims_path)
            norm = _norm_label(cluster["stance_label_3"])
            if norm == _NOT_A_PERSPECTIVE:
                skipped[split]["not_a_perspective"] += len(cluster["pids"])
                continue
            if norm not in _LABELS:
                raise DataFormatError(
                    f"claim {cid}, cluster #{k}: stance_label_3 {cluster['stance_label_3']!r} "
                    "is not SUPPORT or UNDERMINE",
                    path=claims_path,
                )
            for pid in cluster["pids"]:
                if pid not in pool:
                    raise DataFormatError(
                        f"claim {cid}, cluster #{k}: perspective id {pid} is not in {POOL}", path=claims_path
                    )
                persp = pool[pid]
                meta = {
                    "claim_id": cid,
                    "perspective_id": pid,
                    "cluster": k,
                    "stance_label_5": cluster.get("stance_label_5"),
                    "voter_counts": cluster.get("voter_counts"),
                    "claim_source": claim.get("source"),
                    "perspective_source": persp.get("source"),
                }
                splits[split].append(
                    {
                        "text": persp["text"],
                        "source": AUTHOR,
                        "source_start": -1,
                        "source_end": -1,
                        "target": claim["text"],
                        "target_start": -1,
                        "target_end": -1,
                        "label": _LABELS[norm],
                        "dataset": DATASET,
                        "doc_id": f"claim-{cid}",
                        "group_id": f"perspective-{pid}",
                        "meta": to_json(meta),
                    }
                )
    descriptions = {name: {"dataset": DATASET, "skipped": dict(skipped[name])} for name in splits}
    for name, counts in skipped.items():
        if counts:
            logger.warning("perspectrum %s: skipped %s", name, dict(counts))
    logger.info("perspectrum rows per split: %s", {k: len(v) for k, v in splits.items()})
    return make_dataset_dict(splits, pair_features(), descriptions=descriptions)
