"""Loading the packaged data files (lexicons, gazetteers, models) by name.

Data lives in ``rasid/data`` so that code holds the mechanism and data holds the linguistics;
``data/README.md`` names the source and licence of each file.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from rasid.errors import DataFileError


def data_path(name: str):
    return resources.files("rasid") / "data" / name


@lru_cache(maxsize=None)
def load_json(name: str) -> Any:
    try:
        return json.loads(data_path(name).read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise DataFileError(f"packaged data file missing: {name}") from err
    except json.JSONDecodeError as err:
        raise DataFileError(f"packaged data file {name} is not valid JSON: {err}") from err


@lru_cache(maxsize=None)
def load_lines(name: str) -> tuple[str, ...]:
    """A one-item-per-line list; blank lines and ``#`` comments skipped."""
    try:
        text = data_path(name).read_text(encoding="utf-8")
    except FileNotFoundError as err:
        raise DataFileError(f"packaged data file missing: {name}") from err
    return tuple(ln.strip() for ln in text.splitlines()
                 if ln.strip() and not ln.lstrip().startswith("#"))
