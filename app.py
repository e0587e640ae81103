"""The map page: corridor layers, the article beside them, and a link that restores the view.

Thin by design: widgets in, `corridors` calls, output out. The view's one home is a
`corridors.share.ViewState`; it is read from the link once per session, kept in the widgets,
and written back to the address bar by the map's own script (no rerun, no history entry).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Callable
from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from corridors import page
from corridors.page import Key

APP_DIR = Path(__file__).resolve().parent
MAP_HEIGHT = 640
BASEMAP_LABELS = page.basemap_labels()
VIEW_LABELS = page.view_labels()

# Another data folder (a copy to try edits on, or the tests' broken and hostile copies).
GEODATA = Path(os.environ.get("CORRIDORS_GEODATA") or page.GEODATA).resolve()


def opening_link(site: page.Site) -> page.Decoded:
    """The link this session opened with, decoded once; the widgets start from its state."""
    if Key.LINK not in st.session_state:
        params = {key: st.query_params.get_all(key) for key in st.query_params}
        with page.stepping_aside():  # a reader's article comes from the database
            opened, article = page.open_link(params, site)
        st.session_state[Key.READER_ARTICLES] = {article.id: article} if article else {}
        for key, value in page.widget_values(opened.state, site).items():
            st.session_state[key] = value
        st.session_state[Key.LINK] = opened
    link: page.Decoded = st.session_state[Key.LINK]
    return link


def select_clicked(site: page.Site) -> None:
    """A corridor or country clicked on the map becomes the selected one; a click away from
    them, or Esc, clears the selection."""
    click = page.map_click(st.session_state.get(Key.MAP), site)
    if click is not None:
        select(click.corridor, click.country)


def select(corridor: str | None, country: str | None = None) -> None:
    """One corridor or one country selected (or neither), and no paragraph's highlight."""
    st.session_state.update({Key.FOCUS: corridor, Key.COUNTRY: country, Key.EXCERPT: None})


def corridor_chosen() -> None:
    """The Corridor list's choice replaces a selected country and a paragraph's highlight."""
    select(st.session_state[Key.FOCUS])


def show_excerpt(paragraph_id: str) -> None:
    st.session_state[Key.EXCERPT] = paragraph_id


def clear_excerpt() -> None:
    st.session_state[Key.EXCERPT] = None


def show_date(site: page.Site, day: dt.date | None) -> None:
    """Show ``day`` in the date input and the slider (a cleared input means today)."""
    st.session_state.update(page.date_values(day or site.vocab.last_day))


def date_from_slider() -> None:
    st.session_state[Key.DATE] = st.session_state[Key.DATE_STEP]


def date_from_timeline(site: page.Site, key: str) -> None:
    """An event picked on the timeline sets the date to the first day the map shows it."""
    day = page.picked_date(site, st.session_state.get(key))
    if day is not None:
        show_date(site, day)
    st.session_state[Key.TIMELINE_PICKS] = st.session_state.get(Key.TIMELINE_PICKS, 0) + 1


def timeline(site: page.Site, state: page.ViewState) -> None:
    key = page.timeline_key(st.session_state.get(Key.TIMELINE_PICKS, 0))
    st.vega_lite_chart(
        page.timeline_for(site, site.vocab.day(state)),
        key=key,
        on_select=functools.partial(date_from_timeline, site, key),
        selection_mode=page.PICK,
        width="stretch",
    )
    st.caption(
        "Every dated event in the data; click one to see the map on the first day it shows. "
        "BRI signings are counted per year. Events before 2010 sit at the left edge."
    )


def select_table_row(key: str, corridors: list[str]) -> None:
    """A corridor's row chosen in the table ``key`` (``corridors``: what each row selects, by
    its position in the data, which sorting does not change) becomes the selected corridor."""
    rows = st.session_state[key].selection.rows
    if rows and rows[0] < len(corridors) and corridors[rows[0]]:
        select(corridors[rows[0]])


def view_table(site: page.Site, state: page.ViewState, shown: page.routeview.Shown | None) -> None:
    """Every row the map draws (the map's text alternative), and the same rows as files."""
    inventory = page.inventory
    comparison = shown.comparison if shown else None
    frame = inventory.view_frame(site, state, comparison)
    day = site.vocab.day(state)
    ticked = [i for i, corridor in enumerate(frame["corridor"]) if corridor == state.focus]
    st.caption(
        f"{len(frame)} rows: each corridor and place of the layers shown, each member country of "
        f"the blocs shown, and each computed sea route, as on {page.format_day(day)}. Choose a "
        "corridor's row to select it, as a click on the map does (by keyboard: the arrows, then "
        "Shift+Space); click a heading to sort."
    )
    st.dataframe(
        frame[list(inventory.SHOWN)],
        column_config={
            "name": st.column_config.TextColumn("Name", width="medium"),
            "kind": st.column_config.TextColumn("Kind", width="small"),
            "layer": st.column_config.TextColumn("Layer", width="small"),
            "status": f"Status on {page.format_day(day)}",
            "drawn_km": st.column_config.NumberColumn(
                "Drawn, ≈ km",
                format="localized",
                help="Geodesic length of the line as drawn, rounded to what its geometry supports: "
                "an approximate line or a computed route to the nearest 10 km",
            ),
            "published": st.column_config.TextColumn(
                "Published (sources): drawn vs published", width="medium"
            ),
            "geometry_quality": "Geometry",
            "source_title": "Source",
            "source_url": st.column_config.LinkColumn("Source link", display_text="Open ↗"),
        },
        hide_index=True,
        # One table per selected corridor, its row ticked: the tick always shows the selection,
        # however it was made (map, list, link or table).
        key=(key := f"{Key.TABLE}:{state.focus}"),
        selection_default={"selection": {"rows": ticked}},
        placeholder="—",
        on_select=functools.partial(select_table_row, key, list(frame["corridor"])),
        selection_mode="single-row",
        width="stretch",
    )
    st.markdown("**Download** these rows and this view:")
    files = page.downloads(site, state, comparison, frame, st.context.url or "")
    for column, file in zip(st.columns(len(files), gap="small"), files, strict=True):
        # Built only when its button is pressed (a callable), never on a rerun.
        column.download_button(file.label, data=file.build, file_name=file.name,
                               mime=file.mime, on_click="ignore", key=f"download-{file.label}",
                               width="stretch", help=file.help)  # fmt: skip


def port_picked(key: str, label: str) -> None:
    """Text typed into a port picker becomes the port it names; if it names none, the picker
    keeps the port it had and says why."""
    code, notice = page.routeview.picked_port(st.session_state[key])
    st.session_state[key] = code if notice is None else st.session_state[key + SHOWN]
    st.session_state[Key.ROUTE_NOTICE] = f"{label}: {notice}" if notice else None


def speed_typed() -> None:
    """A speed outside what a comparison takes is refused with a notice, keeping the last one."""
    problem = page.routeview.speed_problem(st.session_state[Key.SPEED])
    if problem is not None:
        st.session_state[Key.SPEED] = st.session_state[Key.SPEED + SHOWN]
    st.session_state[Key.ROUTE_NOTICE] = f"Speed: {problem}" if problem else None


def swap_ports() -> None:
    state = st.session_state
    state[Key.ROUTE_FROM], state[Key.ROUTE_TO] = state[Key.ROUTE_TO], state[Key.ROUTE_FROM]


def clear_route() -> None:
    st.session_state.update({Key.ROUTE_FROM: None, Key.ROUTE_TO: None, Key.ROUTE_NOTICE: None})


# Suffix of the session-state key holding the value a widget showed on the last run: what a
# refused input is put back to.
SHOWN = ":shown"


def route_control(site: page.Site, shown: page.routeview.Shown | None) -> None:
    state = st.session_state
    view = page.routeview
    st.header("Sea routes")
    options = view.port_choices([state[Key.ROUTE_FROM], state[Key.ROUTE_TO]])
    for label, key in (("From port", Key.ROUTE_FROM), ("To port", Key.ROUTE_TO)):
        state[key + SHOWN] = state[key]
        st.selectbox(
            label,
            options,
            format_func=view.port_label,
            key=key,
            placeholder="Type a port or UN/LOCODE",
            accept_new_options=True,
            on_change=port_picked,
            args=(key, label),
            help="Compares the sea routes via Suez, the Cape of Good Hope and the Northern Sea "
            "Route. The list offers the ports of the published figures and main ports of "
            f"Eurasian trade; type any of the {len(site.vocab.ports):,} ports of searoute's "
            "list by name (Piraeus), the start of its name (Vladiv) or UN/LOCODE (KRPUS) and "
            "press Enter.",
        )
    state[Key.SPEED + SHOWN] = state[Key.SPEED]
    speeds = page.SHIP_SPEED_KN
    st.number_input(
        "Speed, knots",
        step=0.5,
        key=Key.SPEED,
        on_change=speed_typed,
        help=f"For days at sea, {speeds.low:g} to {speeds.high:g} knots. {speeds.default:g} "
        "knots is a common container-ship speed; slow-steaming bulk carriers make about 10, "
        "fast container ships about 25.",
    )
    if state[Key.ROUTE_NOTICE]:
        st.warning(page.markdown_text(state[Key.ROUTE_NOTICE]))
    if page.same_port_twice(state):
        st.warning("The same port is both origin and destination: choose another.")
    if shown is not None and shown.comparison is None:
        st.warning(f"No route compared: {page.markdown_text(shown.problem or '')}.")
    elif shown is not None and shown.comparison is not None:
        lines = [page.markdown_text(line) for line in view.summary(shown.comparison)]
        full = "The full comparison, with sources, is below the article."
        st.caption("  \n".join([*lines, full]))
    swap, clear = st.columns(2, gap="small")
    swap.button("Swap ports", on_click=swap_ports, key="route-swap", width="stretch")
    clear.button("Clear route", on_click=clear_route, key="route-clear", width="stretch")


def route_panel(shown: page.routeview.Shown | None) -> None:
    """The comparison below the map and the article: table, chart, published figures, caveats
    and method."""
    view = page.routeview
    text = page.markdown_text
    if shown is None or shown.comparison is None:
        return  # the sidebar says why
    with st.container(border=True, key="route-panel"):
        comparison = shown.comparison
        st.markdown(f"**Sea routes: {text(view.heading(comparison))}**")
        # A table of its own scrolls sideways on a phone instead of widening the page.
        st.table(view.table(comparison))
        for reason in view.reasons(comparison):
            st.markdown(reason)
        if view.applies(comparison):
            st.vega_lite_chart(view.bar_chart(comparison), width="stretch")
        else:
            st.info("None of the three routes applies between these ports: nothing is drawn.")
        published = view.published_markdown(comparison)
        if published:
            st.markdown("**Published figures**\n\n" + "\n".join(f"- {p}" for p in published))
        caveats = view.caveats_markdown(comparison)
        if caveats:
            st.markdown("**Caveats**\n\n" + "\n".join(f"- {c}" for c in caveats))
        st.caption(text(view.METHOD))


def sidebar(site: page.Site, shown: page.routeview.Shown | None) -> None:
    with st.sidebar:
        date_control(site)
        st.header("Layers")
        for layer in site.catalogue.layers:
            st.checkbox(
                page.markdown_text(layer.name), key=Key.LAYER + layer.id, help=layer.description
            )
        route_control(site, shown)
        st.radio("Basemap", options=list(BASEMAP_LABELS), format_func=BASEMAP_LABELS.get,
                 key=Key.BASEMAP)  # fmt: skip
        st.radio("Borders", options=list(VIEW_LABELS), format_func=VIEW_LABELS.get,
                 key=Key.BOUNDARIES, help="Whose map of disputed areas (Crimea, Northern "
                 "Cyprus, Somaliland, Siachen) the member countries are drawn with.")  # fmt: skip
        st.caption(
            "**Share**: the address bar always holds the link to the view on screen; the map's "
            "*Share this view* button shows and copies it."
        )
        st.caption(
            "BRI: Green Finance & Development Center list (May 2025), checked against China's "
            "Belt and Road Portal (2023). EAEU: treaty and Commission sources. Borders: Natural "
            "Earth 1:50m, simplified; from zoom 6, 1:10m."
        )


def date_control(site: page.Site) -> None:
    vocab = site.vocab
    day = st.session_state[Key.DATE] or vocab.last_day
    st.header("Date")
    st.caption(f"Statuses, members and borders as on **{page.format_day(day)}**.")
    st.select_slider(
        "Date: step through the changes",
        options=page.date_steps(site, day),
        format_func=page.format_day,
        key=Key.DATE_STEP,
        on_change=date_from_slider,
        help="Moves from one day on which something on the map changes (a status, a member, "
        "a border) to the next. The article's date and today are stops too.",
    )
    st.date_input(
        "Or any day",
        min_value=vocab.first_day,
        max_value=vocab.last_day,
        format="YYYY-MM-DD",
        key=Key.DATE,
        on_change=lambda: show_date(site, st.session_state[Key.DATE]),
        help=f"From the first dated event in the data ({page.format_day(vocab.first_day)}) "
        "to today. A month or a year given by a source counts from the first day it is "
        "certain: a memorandum of March 2019 shows from 1 April 2019.",
    )
    presets = page.date_presets(site)
    # The article's label is the longer: it gets the room ("Article: 25 Apr 2024").
    widths = [1] + [2] * (len(presets) - 1)
    for (label, preset), column in zip(presets, st.columns(widths, gap="small"), strict=True):
        column.button(label, on_click=show_date, args=(site, preset), key=f"date-{label}",
                      width="stretch")  # fmt: skip


def corridor_panel(site: page.Site, state: page.ViewState, corridor: str) -> None:
    details = site.details(corridor, site.vocab.day(state))
    text = page.markdown_text
    with st.container(border=True, key="corridor-panel"):
        st.markdown(f"**{text(details.title)}**")
        for fact in details.facts:
            if fact.brief:
                st.markdown(f"{text(fact.label)}: {text(fact.text)}")
        with st.expander(f"History, how it is drawn, and {len(details.sources)} sources"):
            for fact in details.facts:
                if not fact.brief:
                    st.markdown(f"**{text(fact.label)}:** {text(fact.text)}")
            for s in details.sources:
                st.markdown(f"- {page.markdown_link(s.title, s.url)} ({text(s.label)})")
        st.button("Clear selection", on_click=select, args=(None,), key="clear-focus")


def country_panel(site: page.Site, state: page.ViewState, country: str) -> None:
    """A country clicked on the map: its memberships on every source's word, or a disputed
    area's holders, with the sources as links."""
    with st.container(border=True, key="country-panel"):
        st.markdown(page.place_markdown(site.place_details(country, site.vocab.day(state))))
        st.button("Clear selection", on_click=select, args=(None,), key="clear-country")


def article_title(
    articles: dict[str, page.Article], seed: page.Article | None, article_id: str
) -> str:
    article = articles[article_id] if article_id else seed
    return page.article_label(article) if article else "The seed article (not loaded)"


def clear_notice() -> None:
    st.session_state[Key.INTAKE_NOTICE] = None


def read_in(site: page.Site, read: Callable[[], page.Draft]) -> None:
    """A text, file or link read in becomes the draft the reader checks, its form filled
    afresh with what was found; a refusal is shown instead, and nothing is kept."""
    values = st.session_state
    try:
        with page.stepping_aside():  # a link is fetched, a file read: up to 10 s
            draft = read()
    except (page.Refused, page.FetchRefused) as error:
        values[Key.INTAKE_NOTICE] = str(error)
        return
    values[Key.DRAFT] = draft
    values[Key.INTAKE_NOTICE] = None
    values.update(page.draft_values(site, draft))


def discard_draft() -> None:
    st.session_state[Key.DRAFT] = None


def save_draft(site: page.Site) -> None:
    """The checked draft, linked and stored, becomes the article beside the map."""
    values = st.session_state
    try:
        article = page.save_article(
            site, values[Key.DRAFT], values[Key.DRAFT_TITLE], values[Key.DRAFT_PUBLISHER],
            values[Key.DRAFT_DATE], values[Key.DRAFT_URL] or None,
        )  # fmt: skip
    except (page.Refused, page.StoreUnavailable) as error:
        values[Key.INTAKE_NOTICE] = f"{error} Nothing was saved; what was read is kept below."
        return
    values[Key.READER_ARTICLES][article.id] = article
    values.update(page.saved_values(article))


def bring_your_own(site: page.Site) -> None:
    """Paste, upload or link an article; check what was read; save it beside the map."""
    saved = st.session_state.pop(Key.SAVED, None)
    # Built only while open (opening it reruns): most readers never open it, and closed it
    # costs no rerun anything. Its key keeps it open over a file chosen or an article saved.
    panel = st.expander("Bring your own article", key=Key.INTAKE, on_change="rerun")
    if not panel.open:
        return
    with panel:
        if saved:
            st.success(
                "Saved and shown beside the map. The address bar holds its link, which opens "
                "it on any server sharing this database; it is unlisted, so only people with "
                "the link can open it."
            )
        paste, upload, link = st.tabs(["Paste", "Upload", "Link"])
        with paste:
            text = st.text_area(
                "The article's text", key=Key.PASTE, height=120, on_change=clear_notice
            )
            if st.button("Read the text", key="read-text"):
                read_in(site, lambda: page.draft_from_text(text))
        with upload:
            file = st.file_uploader(
                "A .txt, .md or .html file, at most 1 MB", type=["txt", "md", "html", "htm"],
                key=Key.UPLOAD, on_change=clear_notice,
            )  # fmt: skip
            if st.button("Read the file", key="read-file"):
                read_in(site, lambda: page.draft_from_file(file.name, file.getvalue())
                        if file else page.nothing_chosen("a file"))  # fmt: skip
        with link:
            url = st.text_input(
                "The article's address", placeholder="https://…", key=Key.LINK_URL,
                on_change=clear_notice,
            )  # fmt: skip
            if st.button("Fetch and read", key="read-link"):
                with st.spinner("Fetching the page (at most 10 s)…"):
                    read_in(site, lambda: page.draft_from_link(url))
        if st.session_state.get(Key.INTAKE_NOTICE):
            st.error(page.markdown_text(st.session_state[Key.INTAKE_NOTICE]))
        draft = st.session_state.get(Key.DRAFT)
        if draft is not None:
            draft_form(site, draft)


def draft_form(site: page.Site, draft: page.Draft) -> None:
    """What was read, for the reader to check before it is linked and saved."""
    with st.form("draft-form", border=True):
        st.markdown(page.markdown_text(page.draft_summary(draft)))
        st.text_input("Title", key=Key.DRAFT_TITLE)
        st.text_input("Publisher", key=Key.DRAFT_PUBLISHER)
        st.date_input(
            "Published on", min_value=site.vocab.first_day, max_value=site.vocab.last_day,
            format="YYYY-MM-DD", key=Key.DRAFT_DATE,
            help="The date control's *Article* button goes to this day.",
        )  # fmt: skip
        st.text_input("Address (optional)", key=Key.DRAFT_URL)
        save, discard = st.columns(2)
        save.form_submit_button(
            "Link and show beside the map", on_click=save_draft, args=(site,), type="primary"
        )
        discard.form_submit_button("Discard", on_click=discard_draft)


def article_panel(site: page.Site, state: page.ViewState, seed: page.Article | None) -> None:
    article = site.article
    names = {**site.corridor_names, **site.place_names}
    articles = st.session_state[Key.READER_ARTICLES]
    st.selectbox(
        "Article beside the map",
        options=[page.SEED, *articles],
        format_func=functools.partial(article_title, articles, seed),
        key=Key.ARTICLE,
        on_change=clear_excerpt,
        help="The seed article, or one you opened by its link or brought yourself.",
    )
    bring_your_own(site)
    if state.focus is not None:
        corridor_panel(site, state, state.focus)
    elif state.country is not None:
        country_panel(site, state, state.country)
    if article is None:
        st.info("The article could not be loaded; the notice above the map says why.")
        return
    about = state.focus or state.country
    heading = f"What the article says about {names[about]}" if about else "The article"
    st.subheader(page.markdown_text(heading), anchor=False)
    st.caption(page.markdown_text(page.attribution(article)))
    listed = page.shown_paragraphs(state, article)
    if not listed:
        st.info("The article does not name it. Clear the selection to read it all.")
    for p in listed:
        chosen = p.id == state.excerpt
        with st.container(border=True, key=f"excerpt-{p.id}"):
            st.markdown(page.excerpt_markdown(article, p, names, chosen=chosen))
            # One key in both states: the same button, relabelled, keeps a keyboard's focus.
            if chosen:
                st.button("Clear the highlight", key=f"show-{p.id}", on_click=clear_excerpt)
            elif page.is_linked(p):
                st.button("Show on map", key=f"show-{p.id}", on_click=show_excerpt, args=(p.id,))


def main() -> None:
    st.set_page_config(page_title="Eurasian corridors", page_icon="🗺️", layout="wide")
    st.html(page.page_style())
    site = page.shared_site(APP_DIR, dt.date.today(), GEODATA)
    page.ensure_published(site, APP_DIR)
    link = opening_link(site)
    # The view is read from the widgets' values before they are drawn: the sidebar shows what
    # the comparison found beside its pickers.
    state = page.state_from_widgets(st.session_state, site, link.state)
    seed = site.article
    site, state = page.view_of(site, state, st.session_state[Key.READER_ARTICLES])
    shown = page.route_shown(state)
    sidebar(site, shown)
    st.subheader("Eurasian corridors in the news", anchor=False)
    st.caption(page.HOW_TO_READ)
    if link.notices:
        st.warning(
            "This link was partly understood: "
            + " ".join(page.markdown_text(n) + "." for n in link.notices)
        )
    if site.problems:
        has_left_out = any(not p.repaired for p in site.problems)
        (st.warning if has_left_out else st.info)(page.problems_markdown(site.problems))
    # First in the main content, which Streamlit's "Skip to main content" link reaches with one
    # Tab and Enter: a keyboard picks a corridor in a few presses (arrows or type-ahead, Enter).
    choices = site.corridor_choices
    st.selectbox(
        "Corridor or place",
        options=list(choices),
        format_func=choices.__getitem__,
        placeholder="Choose a corridor or place",
        key=Key.FOCUS,
        on_change=corridor_chosen,
        width=520,
    )
    map_column, text_column = st.columns([2, 1], gap="medium")
    # The map alone in its column, which the page's stylesheet keeps in view beside the article.
    with map_column.container(key="map-pane"):
        fmap, group = page.map_for(site, state, shown)
        st_folium(
            fmap,
            key=Key.MAP,
            height=MAP_HEIGHT,
            use_container_width=True,
            returned_objects=[],
            feature_group_to_add=group,
            on_change=functools.partial(select_clicked, site),
            # st_folium renders the map once itself; its first, whole-figure render gives the
            # same arguments (compared) and took a third of its time every rerun.
            render=False,
        )
    with text_column:
        article_panel(site, state, seed)
    route_panel(shown)
    # Built only while open (opening one reruns): closed, the chart's and the table's scripts
    # are not loaded before the map is drawn, and no rerun builds them.
    below: list[tuple[str, str, Callable[[], None]]] = [
        ("Timeline: every dated event", Key.TIMELINE_OPEN,
         functools.partial(timeline, site, state)),
        ("Everything on the map: table and downloads", Key.TABLE_OPEN,
         functools.partial(view_table, site, state, shown)),
    ]  # fmt: skip
    for label, key, build in below:
        panel = st.expander(label, key=key, on_change="rerun")
        if panel.open:
            with panel:
                build()


# One session's rerun builds its page at a time (corridors/turns.py says why).
with page.taking_turns():
    main()
