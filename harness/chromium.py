"""Debian's Chromium, launched headless through Playwright with flags that keep it quiet."""

from __future__ import annotations

from playwright.sync_api import Browser, Playwright

# Playwright cannot download its own browser here; Debian's package is what CI installs too.
CHROMIUM = "/usr/bin/chromium"
# Quiet on a closed network: no QUIC probes, no first-run, update, sync or background traffic.
# Even so, Chromium's own services still look up update.googleapis.com and accounts.google.com
# (seen with strace; Playwright's routing never sees these), so every host name except localhost
# fails inside Chromium, before a DNS query is sent (IP literals match `*` too, hence 127.0.0.1).
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1",
)


def launch_chromium(playwright: Playwright) -> Browser:
    """Debian's Chromium, headless, with a fresh temporary profile."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, args=list(CHROMIUM_ARGS), headless=True
    )
