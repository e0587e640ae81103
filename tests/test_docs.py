"""The README's promises hold: its commands, its link scheme, and what the image runs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import parse_qs

from corridors.check import lines as check_lines
from corridors.dataset import Dataset
from corridors.layers import build_catalogue
from corridors.share import SCHEME, Vocabulary, decode

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    block = re.search(r"## Two commands.*?```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S)
    assert block, "README.md lost its two-commands block"
    return [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_readme_has_two_commands() -> None:
    assert len(readme_commands()) == 2


def test_ci_runs_exactly_the_readme_test_command() -> None:
    test_command = readme_commands()[1]
    steps = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.startswith(("#", "set ", "cd "))
    ]
    assert steps == [test_command]


def section(title: str) -> str:
    text = (ROOT / "README.md").read_text()
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"README.md lost its {title!r} section"
    return match.group(1)


def test_the_run_command_serves_the_page() -> None:
    assert readme_commands()[0] == "make run"
    makefile = (ROOT / "Makefile").read_text()
    recipe = re.search(r"^run: setup\n\t(.*)$", makefile, re.M)
    assert recipe and recipe.group(1) == "$(VENV)/bin/streamlit run app.py"


def test_readme_documents_the_link_scheme(dataset: Dataset) -> None:
    text = section("Share links")
    # The table is generated from the link's parameter records, so it cannot drift from them.
    assert SCHEME.markdown_table() in text
    catalogue = build_catalogue(dataset.corridors)
    listed = re.search(r"Layer ids: (.*?)\. ", text, re.S)
    assert listed
    assert re.findall(r"`([^`]+)`", listed.group(1)) == list(catalogue.ids)
    example = re.search(r"```\n\?(.*?)\n```", text, re.S)
    assert example
    vocab = Vocabulary(
        layers=catalogue.ids,
        default_layers=catalogue.ids,
        corridors=frozenset(dataset.corridors["corridor"]),
        paragraphs=frozenset(p.id for p in dataset.articles[0].paragraphs),
    )
    decoded = decode(parse_qs(example.group(1), keep_blank_values=True), vocab)
    assert decoded.notices == ()
    assert decoded.state.layers == ("cku-railway", "nord-stream-1", "eaeu")


def test_the_readme_quotes_the_drawn_lengths_make_check_reports(dataset: Dataset) -> None:
    # Each drawn figure of "Current figures" is what `make check` (and so the page) says, at the
    # precision the line supports: marked approximate, to 10 km, never to a tenth.
    table = re.search(
        r"### Current figures.*?\n(\|.*?)\n\n", (ROOT / "README.md").read_text(), re.S
    )
    assert table
    rows = [line.split(" | ") for line in table.group(1).splitlines()[2:]]
    drawn = [cells[1] for cells in rows if cells[1].endswith(" km")]
    assert len(drawn) >= 9
    report = "\n".join(check_lines(dataset, dt.date.today()))
    for figure in drawn:
        assert re.fullmatch(r"≈ [\d,]*0 km", figure), figure
        assert figure in report, figure


def test_the_docker_image_runs_the_page() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert 'CMD ["streamlit", "run", "app.py"' in dockerfile
    assert "RUN python scripts/install_assets.py" in dockerfile
    assert "/_stcore/health" in dockerfile
    ignored = {
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    needed = {"app.py", "corridors", "geodata", "scripts", "requirements.txt", ".streamlit"}
    assert not needed & ignored
