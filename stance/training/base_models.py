"""Kept for old imports: the base-encoder resolver lives in :mod:`stance.models.base`
(inference needs it too, to load an adapter model over its registry-installed base)."""

from stance.models.base import (  # noqa: F401
    MINILM_PACKAGE,
    MPNET,
    MPNET_PACKAGES,
    MPNET_SHA256,
    MPNET_VERSION,
    SplitZipModel,
    assemble_split_zip,
    default_cache_dir,
    find_split_parts,
    resolve_base_model,
    sha256_file,
)
