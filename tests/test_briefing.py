"""The one-file briefing (corridors.briefing): self-contained, within its size, holding the
view's facts, excerpts, routes and sources, with every text escaped for where it lands."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from corridors import briefing, inventory, routes
from corridors.share import ViewState
from corridors.site import Site, load_site
from tests.quoting import assert_quoted_as_approximate

MADE = dt.date(2026, 12, 1)
LINK = "https://example.org/?focus=nord-stream-1&route=CNSHA,NLRTM"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return load_site(tmp_path_factory.mktemp("app"), MADE)


def make(site: Site, comparison: routes.Comparison | None = None, **view: object) -> str:
    state = ViewState(**{"layers": site.vocab.default_layers, **view})  # type: ignore[arg-type]
    rows = inventory.view_frame(site, state, comparison)
    return briefing.briefing(site, state, comparison, rows, LINK, MADE).decode()


class Parsed(HTMLParser):
    """The page's text outside scripts and styles, and every URL it would load or link."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.text: list[str] = []
        self.loads: list[str] = []
        self.links: list[str] = []
        self.skip = False
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.skip = tag in ("script", "style")
        if tag in ("script", "img", "iframe", "link") and (values.get("src") or values.get("href")):
            self.loads.append(str(values.get("src") or values.get("href")))
        if tag == "a":
            self.links.append(str(values.get("href")))

    def handle_endtag(self, tag: str) -> None:
        self.skip = False

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.text.append(data)


def test_it_loads_nothing_and_stays_within_2_mb(site: Site) -> None:
    page = make(site, routes.compare("CNSHA", "NLRTM"), focus="nord-stream-1")
    assert len(page.encode()) <= 2_000_000
    parsed = Parsed(page)
    assert parsed.loads == []  # every script and style is inline
    # No URL a browser would fetch by itself anywhere in the page's code or styles.
    assert not re.search(r"""url\(\s*['"]?(https?:)?//""", page)
    assert "fetch(" in page  # the map's script can fetch, but its data is inline:
    assert '"data":{' in page and '"doc":{' in page


def test_it_holds_the_view_the_facts_the_excerpts_and_the_sources(site: Site) -> None:
    page = make(site, routes.compare("CNSHA", "NLRTM"), focus="nord-stream-1")
    parsed = Parsed(page)
    text = " ".join(parsed.text)
    assert "briefing, as on 1 Dec 2026" in text
    assert "Selected: Nord Stream 1" in text and "damaged since 26 Sep 2022" in text
    assert "Sea routes: Shanghai (CNSHA) → Rotterdam (NLRTM) at 14 knots" in text
    assert "Russia’s Pivot to Asia" in text  # the article's attribution
    assert "Nord Stream" in text.split("What the article says", 1)[1]
    assert LINK in parsed.links
    assert "https://www.nord-stream.com/the-project/pipeline/" in parsed.links


def test_every_text_is_escaped_for_where_it_lands() -> None:
    hostile = '</script><img src=x onerror=alert(1)>"&\u2028'
    inline = briefing._script_json({"title": hostile})
    assert "</" not in inline and "<img" not in inline and "\u2028" not in inline
    assert briefing._text(hostile) == (
        "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&quot;&amp;\u2028"
    )
    assert briefing._link("x", "javascript:alert(1)") == "x"
    assert briefing._script("a('</script>')") == "<script>a('<\\/script>')</script>"


def test_the_selected_corridors_sources_are_links_and_its_lengths_approximate(site: Site) -> None:
    page = make(site, routes.compare("CNSHA", "NLRTM"), focus="northern-sea-route")
    parsed = Parsed(page)
    nsr = site.data.corridors[site.data.corridors["corridor"] == "northern-sea-route"]
    addresses = {s["url"] for entries in nsr["sources"] for s in entries if s.get("url")}
    assert len(addresses) == 6 and addresses <= set(parsed.links)
    facts = re.findall(r"<dt>([^<]*)</dt><dd>([^<]*)</dd>", page)
    assert ("Status", "operational in season (July to late November; ice-dependent) "
            "(Parkiet (after Reuters))") in facts  # fmt: skip
    assert_quoted_as_approximate([f"{label}: {text}" for label, text in facts])
    # The table's Drawn column: one marked, rounded cell per line and route the view draws.
    comparison = routes.compare("CNSHA", "NLRTM")
    state = ViewState(layers=site.vocab.default_layers, focus="northern-sea-route")
    lines = inventory.view_frame(site, state, comparison)["drawn_km"].notna().sum()
    assert "<th>Drawn</th>" in page
    drawn = re.findall(r"<td>(≈ [\d,]+ km)</td>", page)
    assert len(drawn) == lines == 8  # five corridors, three routes
    assert_quoted_as_approximate(drawn)
