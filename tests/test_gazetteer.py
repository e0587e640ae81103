"""The gazetteer file and its matching rules."""

from __future__ import annotations

from pathlib import Path

import pycountry
import pytest

from corridors.errors import DataError
from corridors.gazetteer import (
    Gazetteer,
    GazetteerRow,
    Links,
    format_gazetteer,
    iso_country_names,
    parse_gazetteer,
    read_gazetteer,
    with_country_names,
)

GAZETTEER = Path(__file__).resolve().parents[1] / "geodata" / "gazetteer.csv"
CORRIDORS = {
    "cku-railway",
    "northern-sea-route",
    "nord-stream-1",
    "power-of-siberia",
    "suez-canal",
    "vladivostok-port",
    "zabaikalsk-manzhouli",
    "blagoveshchensk-heihe",
    "nizhneleninskoye-tongjiang",
    "dostyk-alashankou",
    "khorgos-altynkol",
    "boao-forum",
}
BLOCS = {"eaeu", "bri"}
COUNTRIES = {country.alpha_3 for country in pycountry.countries}


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return read_gazetteer(GAZETTEER, {"corridor": CORRIDORS, "bloc": BLOCS, "country": COUNTRIES})


def test_every_id_has_an_alias(gazetteer: Gazetteer) -> None:
    used = {(row.kind, row.id) for row in gazetteer.rows}
    assert {("corridor", id_) for id_ in CORRIDORS} <= used
    assert {("bloc", id_) for id_ in BLOCS} <= used
    assert {("country", id_) for id_ in COUNTRIES} <= used


def test_committed_file_is_canonical_and_has_every_pycountry_name(gazetteer: Gazetteer) -> None:
    # `build_article.py --refresh-countries` on the committed file must be a no-op.
    refreshed = with_country_names(gazetteer.rows, iso_country_names(pycountry.countries))
    assert format_gazetteer(refreshed) == GAZETTEER.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CKU", Links(corridors=("cku-railway",))),
        ("the China-Kyrgyzstan-Uzbekistan Railway", Links(corridors=("cku-railway",))),
        ("the China–Kyrgyzstan–Uzbekistan railway", Links(corridors=("cku-railway",))),
        ("the China – Kyrgyzstan – Uzbekistan Railway", Links(corridors=("cku-railway",))),
        ("Nord Stream 1", Links(corridors=("nord-stream-1",))),
        ("Nord Stream 2", Links()),
        ("Nord Stream 12", Links()),
        ("Northern Sea Route", Links(corridors=("northern-sea-route",))),
        ("the Polar Silk Road", Links(corridors=("northern-sea-route",), blocs=("bri",))),
        ("the Arctic Belt & Road", Links(corridors=("northern-sea-route",), blocs=("bri",))),
        ("Suez Canal", Links(corridors=("suez-canal",))),
        ("Vladivostok Port", Links(corridors=("vladivostok-port",))),
        ("Boao Forum for Asia", Links(corridors=("boao-forum",))),
        # Generic: the article never names which crossings, so the phrase pins none of them.
        ("Russia-China border crossings", Links(countries=("CHN", "RUS"))),
        ("Russia–China border crossings", Links(countries=("CHN", "RUS"))),
        ("Eurasian Economic Union (EAEU) or EEU", Links(blocs=("eaeu",))),
        ("Belt and Road Initiative", Links(blocs=("bri",))),
        ("Belt & Road", Links(blocs=("bri",))),
        ("the belt and road", Links(blocs=("bri",))),
        ("THE BELT AND ROAD", Links(blocs=("bri",))),
        ("the BRI", Links(blocs=("bri",))),
        ("China’s", Links(countries=("CHN",))),
        ("China's", Links(countries=("CHN",))),
        ("People’s Republic of China", Links(countries=("CHN",))),
        ("CHINA", Links(countries=("CHN",))),
        ("Russian", Links(countries=("RUS",))),
        ("the Kremlin and Moscow", Links(countries=("RUS",))),
        ("Russian-Ukraine conflict", Links(countries=("RUS", "UKR"))),
        ("Chinese and Beijing", Links(countries=("CHN",))),
        ("Kyrgyz, Uzbek and Kazakh", Links(countries=("KAZ", "KGZ", "UZB"))),
        ("Türkiye, also Turkey", Links(countries=("TUR",))),
        ("US and the USA", Links(countries=("USA",))),
    ],
)
def test_aliases(gazetteer: Gazetteer, text: str, expected: Links) -> None:
    assert gazetteer.link(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "bristle brick Bristol",  # "BRI" is a whole word, and case-sensitive
        "bri ckU cku",  # acronyms never match in lower case
        "fine china, a roast turkey, polish and a guinea pig in a jersey",  # common nouns
        "Russianness",  # whole words only
    ],
)
def test_non_matches(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.link(text) == Links()


def test_longest_match_consumes_its_span(gazetteer: Gazetteer) -> None:
    text = "Wang named the China-Kyrgyzstan-Uzbekistan Railway."
    [mention] = gazetteer.mentions(text)
    assert text[mention.start : mention.end] == "China-Kyrgyzstan-Uzbekistan Railway"
    assert mention.targets == (("corridor", "cku-railway"),)


def test_aliases_differing_in_apostrophe_style_merge_targets() -> None:
    rows = [GazetteerRow("CHN", "country", "China's"), GazetteerRow("bri", "bloc", "China’s")]
    assert Gazetteer(rows).link("China’s") == Links(countries=("CHN",), blocs=("bri",))


HEADER = "id,kind,alias\n"


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("cku-railway,road,CKU\n", "line 2: unknown kind 'road'"),
        ("Rus,country,Russia\n", "line 2: malformed country id 'Rus'"),
        ("CKU_Railway,corridor,CKU\n", "line 2: malformed corridor id 'CKU_Railway'"),
        ("cku-railway,corridor\n", "line 2: expected 3 fields, found 2"),
        ("cku-railway,corridor, CKU\n", "line 2: alias ' CKU' is empty"),
        ("cku-railway,corridor,CKU\ncku-railway,corridor,CKU\n", "line 3: duplicate row"),
        ("eaeu,bloc,EAEU\neaeu,corridor,EEU\n", "line 3: id 'eaeu' is a bloc elsewhere"),
        ("RUS,country,Russia\nXXX,country,Nowhere\n", "line 3: alias 'Nowhere' points to unknown"),
    ],
)
def test_bad_rows_name_file_and_line(body: str, problem: str) -> None:
    with pytest.raises(DataError) as error:
        parse_gazetteer(HEADER + body, "gazetteer.csv", {"country": {"RUS"}})
    assert str(error.value).startswith("gazetteer.csv, feature ")
    assert problem in str(error.value)


def test_bad_header() -> None:
    with pytest.raises(DataError, match=r"^gazetteer.csv: header must be id,kind,alias"):
        parse_gazetteer("id,alias,kind\n", "gazetteer.csv")


def test_known_ids_may_cover_some_kinds_only() -> None:
    text = HEADER + "RUS,country,Russia\nnew-corridor,corridor,New Corridor\n"
    links = parse_gazetteer(text, "g.csv", {"country": {"RUS"}}).link("Russia's New Corridor")
    assert links == Links(corridors=("new-corridor",), countries=("RUS",))


# --- References that continue a subject ("the line"), on text written for these tests ---------

HELD_APART = Gazetteer(
    [
        GazetteerRow("tcp", "corridor", "Trans-Caspian Pipeline"),
        GazetteerRow("mcr", "corridor", "Middle Corridor railway"),
        GazetteerRow("eaeu", "bloc", "Eurasian Economic Union"),
        GazetteerRow("bri", "bloc", "Belt and Road"),
    ]
)
KINDS = {"tcp": "pipeline", "mcr": "rail"}


def linked(*paragraphs: str) -> list[tuple[str, ...]]:
    """The corridor and bloc ids each paragraph links, in one tuple per paragraph."""
    return [
        (*links.corridors, *links.blocs)
        for links in HELD_APART.link_paragraphs(list(paragraphs), KINDS)
    ]


def test_the_line_continues_the_last_line_named() -> None:
    assert linked(
        "Ministers inaugurated the Middle Corridor railway on Monday.",
        "The 1,000km (620-mile) line will carry 5 million tonnes a year.",
        "Delays followed, but the railway now runs daily.",
    ) == [("mcr",), ("mcr",), ("mcr",)]


def test_a_reference_takes_the_most_recent_subject_of_its_kind() -> None:
    assert linked(
        "The Trans-Caspian Pipeline and the Middle Corridor railway were both discussed.",
        "The line, however, was the harder sell.",  # rail or pipeline: the railway, named last
        "Engineers said the pipeline would need a new compressor station.",  # skips the railway
    ) == [("mcr", "tcp"), ("mcr",), ("tcp",)]


def test_blocs_are_continued_by_their_own_nouns() -> None:
    assert linked(
        "Kazakhstan joined the Eurasian Economic Union and later the Belt and Road.",
        "Officials called the well-established union slow, and the initiative fast.",
    ) == [("bri", "eaeu"), ("bri", "eaeu")]


@pytest.mark.parametrize(
    "paragraphs",
    [
        # Nothing named before: a reference with no subject links nothing.
        ("The line opened in 1901.",),
        # The only subject is of another kind: a pipeline is not "the railway".
        ("The Trans-Caspian Pipeline was delayed.", "Meanwhile the railway stood idle."),
        # An indefinite or generic noun is no reference.
        ("The Middle Corridor railway opened.", "A line of trucks waited at the border."),
        # The subject was named too long ago.
        ("The Middle Corridor railway opened.", *["Markets rose."] * 9, "The line was busy."),
    ],
)
def test_a_reference_without_its_subject_links_nothing(paragraphs: tuple[str, ...]) -> None:
    *_, last = linked(*paragraphs)
    named_in_last = HELD_APART.link(paragraphs[-1])
    assert last == (*named_in_last.corridors, *named_in_last.blocs)


def test_a_name_before_the_noun_is_what_the_phrase_names_not_a_reference() -> None:
    crossings = Gazetteer(
        [
            GazetteerRow("dostyk", "corridor", "Dostyk"),
            GazetteerRow("khorgos", "corridor", "Khorgos"),
            GazetteerRow("CHN", "country", "Chinese"),
            GazetteerRow("bri", "bloc", "Belt and Road"),
        ]
    )
    kinds = {"dostyk": "crossing", "khorgos": "crossing"}
    links = crossings.link_paragraphs(
        [
            "Trucks queued at Dostyk all week.",
            "The newer Khorgos crossing took the overflow.",  # names Khorgos, continues nothing
            "Customs at the crossing were slow.",  # the last crossing named: Khorgos
            "Astana signed up to the Belt and Road.",
            "The Chinese initiative pays for it.",  # a country before the noun: still a reference
        ],
        kinds,
    )
    assert [(*x.corridors, *x.blocs) for x in links] == [
        ("dostyk",), ("khorgos",), ("khorgos",), ("bri",), ("bri",),
    ]  # fmt: skip


def test_an_other_row_links_nothing_and_keeps_its_words_from_shorter_aliases() -> None:
    rows = [
        GazetteerRow("power-of-siberia", "corridor", "Power of Siberia"),
        GazetteerRow("power-of-siberia-2", "other", "Power of Siberia 2"),
        GazetteerRow("CHN", "country", "China"),
        GazetteerRow("south-china-sea", "other", "South China Sea"),
    ]
    gazetteer = Gazetteer(rows)
    assert gazetteer.link("Talks on Power of Siberia 2 in the South China Sea port") == Links()
    assert gazetteer.link("Power of Siberia, and China") == Links(
        corridors=("power-of-siberia",), countries=("CHN",)
    )


def test_matching_is_grouped_by_first_character_without_changing_the_rules() -> None:
    # Each alias is tried only at words that start with a character it can start with; a
    # lower-case first letter may be either case, a capital only itself.
    gazetteer = Gazetteer(
        [
            GazetteerRow("bri", "bloc", "belt and road"),
            GazetteerRow("bri", "bloc", "BRI"),
            GazetteerRow("cku", "corridor", "CKU"),
            GazetteerRow("CHN", "country", "China’s"),
        ]
    )
    assert gazetteer.link("Belt and Road, belt and road, BRI").blocs == ("bri",)
    assert gazetteer.link("bri cku") == Links()
    assert gazetteer.link("China's CKU").corridors == ("cku",)
    assert gazetteer.link("China's CKU").countries == ("CHN",)
