"""The page run from a folder of its own, so a test run never writes into the checkout.

The page publishes its map files into ``static/`` beside its script (Streamlit serves that
folder), and tests run it on broken and hostile copies of the data; from the checkout's own
``app.py`` those files would pile up in the checkout's ``static/``. ``app_copy()`` is the page's
script copied into a temporary folder, made once per test run and removed at its end
(tests/conftest.py); the package is imported from the checkout as usual.
"""

from __future__ import annotations

import functools
import shutil
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


_FOLDERS: list[Path] = []


@functools.cache
def app_copy(name: str = "page") -> Path:
    """``app.py`` in a fresh temporary folder of its own, one per ``name``."""
    folder = Path(tempfile.mkdtemp(prefix=f"corridors-{name}-"))
    _FOLDERS.append(folder)
    shutil.copy(ROOT / "app.py", folder / "app.py")
    return folder / "app.py"


def mark_replica(app: Path, name: str) -> None:
    """Serve ``name`` at ``/app/static/replica.txt`` from the page at ``app``, so a test can
    tell which replica answered without the proxy naming any replica's address."""
    static = app.parent / "static"
    static.mkdir(exist_ok=True)
    (static / "replica.txt").write_text(name, encoding="utf-8")


def remove_copy() -> None:
    """Remove the folders `app_copy` made."""
    while _FOLDERS:
        shutil.rmtree(_FOLDERS.pop(), ignore_errors=True)
