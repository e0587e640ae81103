"""Leaflet served by the app itself, so the map draws with no internet and sends no request out.

folium pages load Leaflet (and jQuery, Bootstrap, awesome-markers) from public CDNs; offline the
``st_folium`` iframe stays blank and nothing says why. Here Leaflet's files come from the PyPI
package ``django-js-lib-leaflet`` (pinned in requirements.txt), are copied into
``static/vendor/leaflet/`` beside the page script (gitignored: registry files are installed, never
committed), and Streamlit serves that folder at ``/app/static/`` when
``server.enableStaticServing`` is on.

The copy is made by ``make setup`` (``scripts/install_assets.py``) and again, cheaply and
idempotently, when the page starts (``ensure_leaflet``), because Streamlit Community Cloud installs
requirements.txt and runs the page with no setup step. Streamlit's static handler looks each file
up per request, so a folder created after the server started is served.

The map's own script, stylesheet and data document are published the same way, into
``static/corridors/`` (``publish_map``): the browser fetches them once and caches them, instead
of receiving them inside the component's arguments on every rerun.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import metadata, resources
from importlib.resources.abc import Traversable
from pathlib import Path
from urllib.parse import urlsplit

import branca.colormap
import folium
import folium.elements

# The registry package (distribution name), and the import package and folder holding its files.
LEAFLET_DISTRIBUTION = "django-js-lib-leaflet"
_LEAFLET_PACKAGE = "js_lib_leaflet"
_LEAFLET_PACKAGE_DIR = ("static", "js_lib_leaflet")

# What the map needs: the script, its stylesheet and the images that stylesheet names (layer
# control, default marker). Source maps and the ESM/debug builds are left behind.
LEAFLET_FILES = (
    "leaflet.js",
    "leaflet.css",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
)

# Streamlit serves ``<page dir>/static/`` (its fixed folder name) at ``<base>/app/static/``.
VENDOR_DIR = Path("static", "vendor", "leaflet")
# Records which package version the folder holds, so an upgrade is copied and a match costs little.
_STAMP = ".version"

# The st_folium iframe is ``<base>/component/streamlit_folium.st_folium/index.html``, so this
# relative URL reaches ``<base>/app/static/`` whatever ``server.baseUrlPath`` is: nothing here
# needs to know the deployment's path prefix.
COMPONENT_STATIC_URL = "../../app/static"

# Elements whose generated script calls a library that only folium's CDN list loads: with Leaflet
# alone the map's script throws there and stops, leaving the map blank or half drawn (checked in
# folium 0.20's templates and in Chromium: a Popup fails with "$ is not defined").
_NEEDS_MORE_THAN_LEAFLET: dict[type[folium.Element], str] = {
    folium.Popup: "jQuery (folium.Popup builds its content with `$(...)`)",
    folium.Icon: "jQuery, Bootstrap, awesome-markers and Font Awesome",
}


# The map's own script and stylesheet (package files) and its data document, published beside
# Leaflet. Names carry a content hash, so a browser never mixes an old script with new data.
MAP_DIR = Path("static", "corridors")
_WEB_FILES = ("webmap.js", "webmap.css")
_DATA_PREFIX = "mapdata-"
_BORDERS_PREFIX = "borders-"
# Sea routes are published when a reader compares two ports, one small file per comparison;
# any of 3,919 × 3,918 port pairs may be asked for, so only the newest files are kept.
ROUTES_DIR = "routes"
MAX_ROUTE_FILES = 512


@dataclass(frozen=True)
class MapAssets:
    """URLs of the map's script, stylesheet and data, as the st_folium iframe reaches them."""

    script: str
    stylesheet: str
    data: str
    borders: str | None  # the folder of detailed-border tiles, None without them
    # Where they were written, so a running page can check they are still there.
    files: tuple[Path, ...]

    def present(self) -> bool:
        """Whether every file is still on disk (a few stats)."""
        return all(path.is_file() for path in self.files)


class OfflineAssetError(RuntimeError):
    """Leaflet cannot be served locally, or the map needs a script or stylesheet from the web."""


@functools.cache
def leaflet_version() -> str:
    """The installed ``django-js-lib-leaflet`` version (Leaflet's, plus a packaging digit)."""
    try:
        return metadata.version(LEAFLET_DISTRIBUTION)
    except metadata.PackageNotFoundError as exc:
        raise _not_installed() from exc


def _not_installed() -> OfflineAssetError:
    return OfflineAssetError(
        f"Leaflet's files come from the PyPI package {LEAFLET_DISTRIBUTION}, which is not "
        "installed: run `make setup` (or `pip install -r requirements.txt`)."
    )


def _leaflet_source() -> Traversable:
    try:
        root = resources.files(_LEAFLET_PACKAGE)
    except ModuleNotFoundError as exc:
        raise _not_installed() from exc
    return root.joinpath(*_LEAFLET_PACKAGE_DIR)


def ensure_leaflet(app_dir: Path) -> Path:
    """Make sure ``app_dir/static/vendor/leaflet`` holds the installed Leaflet; return that folder.

    Idempotent, and cheap when up to date (a stamp read and a few stats), so the page may call it
    on every start. A package upgrade changes the stamp and the files are copied again. Each file
    goes to a temporary name and is renamed into place, so a browser (or a second session copying
    at the same moment) never reads a half-written file; the stamp is written last.
    """
    version = leaflet_version()
    target = app_dir / VENDOR_DIR
    stamp = target / _STAMP
    if _read_stamp(stamp) == version and all((target / n).is_file() for n in LEAFLET_FILES):
        return target
    source = _leaflet_source()
    for name in LEAFLET_FILES:
        _write_atomically(target / name, source.joinpath(*name.split("/")).read_bytes())
    _write_atomically(stamp, version.encode())
    return target


def inline_sources() -> dict[str, str]:
    """The texts a page of its own inlines to draw the map with no request: Leaflet's script
    and stylesheet (from its registry package) and the map's own (``corridors/web``)."""
    leaflet, web = _leaflet_source(), resources.files("corridors").joinpath("web")
    return {
        "leaflet.js": leaflet.joinpath("leaflet.js").read_text(encoding="utf-8"),
        "leaflet.css": leaflet.joinpath("leaflet.css").read_text(encoding="utf-8"),
        **{name: web.joinpath(name).read_text(encoding="utf-8") for name in _WEB_FILES},
    }


def _hashed_name(stem: str, suffix: str, data: bytes) -> str:
    return f"{stem}{hashlib.sha256(data).hexdigest()[:16]}{suffix}"


def publish_map(
    app_dir: Path,
    map_data: bytes,
    border_tiles: Mapping[str, bytes] | None = None,
    static_url: str = COMPONENT_STATIC_URL,
) -> MapAssets:
    """Write the map's script, stylesheet, ``map_data`` and ``border_tiles`` (``<key>.json``
    each, in one folder) under ``app_dir/static/corridors/``.

    Each file's name holds a hash of its content, so a file already there is left alone (a
    restart, a second replica or a cleared cache costs a few stats) and a changed one gets a
    new name that no browser has cached. Earlier versions' files are kept: another process
    serving from the same folder (a server started before an upgrade) may still name them.
    """
    target = app_dir / MAP_DIR
    package = resources.files("corridors").joinpath("web")
    urls: dict[str, str] = {}
    for name in _WEB_FILES:
        stem, suffix = name.rsplit(".", 1)
        content = package.joinpath(name).read_bytes()
        urls[suffix] = _publish(target, _hashed_name(f"{stem}-", f".{suffix}", content), content)
    data_url = _publish(target, _hashed_name(_DATA_PREFIX, ".json", map_data), map_data)
    names = [urls["js"], urls["css"], data_url]
    folder = _publish_folder(target, border_tiles) if border_tiles else None
    if border_tiles and folder:
        names.append(f"{folder}/{min(border_tiles)}.json")
    base = f"{static_url.rstrip('/')}/{MAP_DIR.relative_to('static').as_posix()}"
    return MapAssets(
        script=f"{base}/{urls['js']}",
        stylesheet=f"{base}/{urls['css']}",
        data=f"{base}/{data_url}",
        borders=f"{base}/{folder}" if folder else None,
        files=tuple(target / name for name in names),
    )


def _publish_folder(target: Path, files: Mapping[str, bytes]) -> str:
    """Write ``files`` as ``<key>.json`` into a folder named by their content; returns its name.

    The folder is written under a temporary name and renamed whole, so a browser (or another
    replica) never sees half of it, and one already there is complete and left alone.
    """
    digest = hashlib.sha256()
    for key in sorted(files):
        digest.update(key.encode() + b"\0" + files[key] + b"\0")
    name = f"{_BORDERS_PREFIX}{digest.hexdigest()[:16]}"
    if (target / name).is_dir():
        return name
    try:
        target.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target, prefix=f".{name}."))
        for key, content in files.items():
            (staging / f"{key}.json").write_bytes(content)
        for path in staging.iterdir():
            os.chmod(path, 0o644)
        # mkdtemp makes 0700; a web server serving static/ (nginx) must be able to enter it.
        os.chmod(staging, 0o755)  # noqa: S103
        try:
            staging.rename(target / name)
        except OSError:
            # Another process finished the same folder first: theirs is identical.
            shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise OfflineAssetError(
            f"cannot write the border tiles into {MAP_DIR}/ beside the page script "
            f"({exc.strerror}): make that folder writable, or publish them at install time "
            "with `make setup`."
        ) from exc
    return name


def publish_route(app_dir: Path, document: bytes, static_url: str = COMPONENT_STATIC_URL) -> str:
    """Write a route comparison's ``document`` (`corridors.routeview.map_document`) under
    ``app_dir/static/corridors/routes/``, named by its content; returns its URL.

    A file already there is touched instead, so the files in use are the newest; writing a
    new one removes the oldest beyond `MAX_ROUTE_FILES`. A map showing a route removed since
    says so and draws the rest.
    """
    target = app_dir / MAP_DIR / ROUTES_DIR
    name = _hashed_name("route-", ".json", document)
    path = target / name
    try:
        os.utime(path)
    except FileNotFoundError:
        _write_atomically(path, document)
        _prune(target, MAX_ROUTE_FILES)
    except OSError as exc:
        raise OfflineAssetError(f"cannot touch {name} in {target} ({exc.strerror})") from exc
    base = f"{static_url.rstrip('/')}/{MAP_DIR.relative_to('static').as_posix()}"
    return f"{base}/{ROUTES_DIR}/{name}"


def _prune(folder: Path, keep: int) -> None:
    """Remove all but the ``keep`` most recently modified JSON files of ``folder``."""
    dated = []
    for path in folder.glob("*.json"):
        try:
            dated.append((path.stat().st_mtime, path))
        except FileNotFoundError:  # another replica pruned it first
            continue
    for _, path in sorted(dated, reverse=True)[keep:]:
        path.unlink(missing_ok=True)


def _publish(target: Path, name: str, content: bytes) -> str:
    path = target / name
    if not path.is_file() or path.stat().st_size != len(content):
        _write_atomically(path, content)
    return name


def _read_stamp(stamp: Path) -> str | None:
    # Any unreadable stamp just means "copy again"; a real problem with the folder then shows up,
    # with its reason, when the copy is written.
    try:
        return stamp.read_text(encoding="utf-8")
    except OSError:
        return None


def _write_atomically(dest: Path, data: bytes) -> None:
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; the usual mode lets any web server read it
        os.replace(tmp, dest)
    except OSError as exc:
        raise OfflineAssetError(
            f"cannot write {dest.name} into {VENDOR_DIR}/ beside the page script "
            f"({exc.strerror}): make that folder writable, or copy Leaflet at install time "
            "with `make setup`."
        ) from exc


def use_local_leaflet(
    m: folium.Map,
    *feature_groups: folium.Element,
    static_url: str = COMPONENT_STATIC_URL,
) -> folium.Map:
    """Make ``m`` load only the app's own Leaflet; raise if a script or stylesheet still would not.

    Call it once the map is built, just before ``st_folium`` (pass the ``feature_group_to_add``
    groups too: their scripts run in the same iframe). Only this instance changes: folium's
    class-wide ``default_js``/``default_css`` lists stay as they are. The version in the query
    string makes browsers fetch the new file after a package upgrade instead of a cached one.
    ``static_url`` is where ``static/`` is reached from the page that runs the map. Tiles are
    not checked: they are images, fetched only if the map has a tile layer, and failing tiles
    leave the vector layers drawn.
    """
    query = f"?v={leaflet_version()}"
    base = f"{static_url.rstrip('/')}/vendor/leaflet"
    m.default_js = [("leaflet", f"{base}/leaflet.js{query}")]
    m.default_css = [("leaflet_css", f"{base}/leaflet.css{query}")]
    problems = offline_problems(m, *feature_groups)
    if problems:
        raise OfflineAssetError(
            "the map needs files that are not served locally:\n  " + "\n  ".join(problems)
        )
    return m


def offline_problems(*elements: folium.Element) -> list[str]:
    """Each element (or descendant) that would load a remote file or need more than Leaflet.

    Walks the tree the way streamlit-folium collects script and stylesheet links: every
    ``default_js``/``default_css`` entry, plus the d3 it adds for a branca colour map.
    """
    problems: list[str] = []
    for element in _walk(elements):
        label = f"{type(element).__name__} {element.get_name()}"
        if isinstance(element, branca.colormap.ColorMap):
            problems.append(f"{label}: streamlit-folium loads d3 from a CDN for colour maps")
        if isinstance(element, folium.elements.JSCSSMixin):
            links = [url for _, url in (*element.default_js, *element.default_css)]
            problems.extend(f"{label}: loads {url}" for url in links if _is_remote(url))
        for cls, needs in _NEEDS_MORE_THAN_LEAFLET.items():
            if isinstance(element, cls):
                problems.append(f"{label}: needs {needs}")
        if isinstance(element, folium.Map) and element.objects_to_stay_in_front:
            problems.append(f"{label}: objects_to_stay_in_front needs jQuery")
    return problems


def _walk(elements: tuple[folium.Element, ...]) -> Iterator[folium.Element]:
    for element in elements:
        yield element
        yield from _walk(tuple(element._children.values()))


def _is_remote(url: str) -> bool:
    # A URL naming a host ("https://cdn…", "//cdn…") leaves the app; a relative path does not.
    return bool(urlsplit(url).netloc)
