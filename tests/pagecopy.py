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


@functools.cache
def app_copy() -> Path:
    """``app.py`` in a fresh temporary folder of its own."""
    folder = Path(tempfile.mkdtemp(prefix="corridors-page-"))
    shutil.copy(ROOT / "app.py", folder / "app.py")
    return folder / "app.py"


def remove_copy() -> None:
    """Remove the folder `app_copy` made, if it made one."""
    if app_copy.cache_info().currsize:
        shutil.rmtree(app_copy().parent, ignore_errors=True)
