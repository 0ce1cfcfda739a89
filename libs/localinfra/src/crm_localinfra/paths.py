"""Where the repository and its untracked ``.local/`` folder are."""

from __future__ import annotations

import os
from pathlib import Path

_MARKER = Path("tools/mongo-launcher/pom.xml")


def repo_root() -> Path:
    """The repository root: ``$CRM_ROOT``, else the nearest folder holding the launcher.

    Searched from the working directory first, then from this file (an editable
    install lives inside the repository).
    """
    configured = os.environ.get("CRM_ROOT")
    if configured:
        return Path(configured).resolve()
    for start in (Path.cwd(), Path(__file__).resolve()):
        for folder in (start, *start.parents):
            if (folder / _MARKER).is_file():
                return folder
    raise RuntimeError(f"cannot find the repository root (no {_MARKER}); set CRM_ROOT")


def local_dir() -> Path:
    """``.local/`` at the repository root: builds, data, logs, pid files, keys (gitignored)."""
    return repo_root() / ".local"
