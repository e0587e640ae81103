"""Fetching a reader's article URL without letting the server be turned against its own network.

Server-side request forgery is refused at each hop, redirects included:

* only ``http`` and ``https``, on the default ports or any port above 1023;
* the host name is resolved once, every address it resolves to must be a public one (not
  loopback, private, link-local such as the cloud metadata address 169.254.169.254, shared,
  multicast, reserved or unspecified, also when written as an IPv4-mapped IPv6 address), and the
  connection goes to that checked address, so a second lookup cannot change the answer;
* at most ``MAX_REDIRECTS`` redirects, each checked as a new URL;
* at most ``MAX_BYTES`` of body and ``TIMEOUT_S`` in all, however slowly the server drips.

Tests serve pages from 127.0.0.1, which only `allow_loopback` (set by the environment variable
``CORRIDORS_TEST_FETCH_LOOPBACK=1``, a test setting) lets through; private and metadata
addresses stay refused even then.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import threading
import time
from dataclasses import dataclass
from typing import Final
from urllib.parse import urljoin, urlsplit

import urllib3

MAX_BYTES: Final = 2_000_000
TIMEOUT_S: Final = 10.0
MAX_REDIRECTS: Final = 5
CHUNK: Final = 65_536
LOOPBACK_SETTING: Final = "CORRIDORS_TEST_FETCH_LOOPBACK"
USER_AGENT: Final = "eurasian-corridors/1 (+reader article fetch)"
# What a page may be: the text an article is read from.
TYPES: Final = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchRefused(ValueError):
    """A URL the server will not fetch, or a fetch that failed; the message is for the reader."""


@dataclass(frozen=True)
class Fetched:
    """A page's body as served, what it says it is, and where it ended up after redirects."""

    url: str
    content_type: str
    charset: str | None
    body: bytes


def allow_loopback() -> bool:
    """Whether the test setting lets fetches reach 127.0.0.1 and ::1 (never private ranges)."""
    return os.environ.get(LOOPBACK_SETTING) == "1"


def refusal(address: Address, loopback_ok: bool) -> str | None:
    """Why ``address`` may not be fetched from, or None if it is public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return refusal(address.ipv4_mapped, loopback_ok)
    if address.is_loopback:
        return None if loopback_ok else "a loopback address"
    if address.is_link_local:
        return "a link-local address (where cloud metadata services answer)"
    if address.is_private or not address.is_global:
        return "a private or reserved address"
    if address.is_multicast:
        return "a multicast address"
    return None


def _checked_address(host: str, port: int, loopback_ok: bool) -> Address:
    """The address to connect to for ``host``: resolved once, every answer checked."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise FetchRefused(f"The name {host!r} could not be resolved ({error}).") from None
    addresses = [ipaddress.ip_address(str(answer[4][0]).split("%")[0]) for answer in answers]
    for address in addresses:
        why = refusal(address, loopback_ok)
        if why:
            raise FetchRefused(
                f"{host} resolves to {address}, {why}: the server does not fetch from its own "
                "network."
            )
    return addresses[0]


def _target(url: str) -> tuple[str, str, int]:
    """``url``'s scheme, host and port, or FetchRefused for anything but http(s) to a fair port."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused(f"Only http and https links can be fetched, not {scheme or 'this'!r}.")
    if parts.username or parts.password:
        raise FetchRefused("A link with a user name or password in it is not fetched.")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise FetchRefused("The link's port is not a number from 1 to 65535.") from None
    host = parts.hostname
    if not host:
        raise FetchRefused("The link has no host name.")
    if port not in (80, 443) and port < 1024:
        raise FetchRefused(f"Port {port} is reserved for other services; it is not fetched.")
    return scheme, host, port


def _header_type(value: str) -> tuple[str, str | None]:
    """A Content-Type header's media type and charset."""
    media, _, rest = value.partition(";")
    charset = None
    for param in rest.split(";"):
        key, _, val = param.strip().partition("=")
        if key.lower() == "charset" and val:
            charset = val.strip('"').lower()
    return media.strip().lower(), charset


def fetch(url: str, loopback_ok: bool | None = None) -> Fetched:
    """The page at ``url``, fetched under the rules above; FetchRefused says why not."""
    loopback_ok = allow_loopback() if loopback_ok is None else loopback_ok
    deadline = time.monotonic() + TIMEOUT_S
    for _ in range(MAX_REDIRECTS + 1):
        scheme, host, port = _target(url)
        address = _checked_address(host, port, loopback_ok)
        response = _request(scheme, host, port, address, url, deadline)
        try:
            if response.status in (301, 302, 303, 307, 308):
                location = response.headers.get("Location")
                if not location:
                    raise FetchRefused(f"The page redirects ({response.status}) to nowhere.")
                url = urljoin(url, location)
                continue
            if response.status != 200:
                raise FetchRefused(f"The server answered {response.status} {response.reason}.")
            media, charset = _header_type(response.headers.get("Content-Type", "text/html"))
            if media not in TYPES:
                raise FetchRefused(f"The link is to {media}, not a web page or text.")
            return Fetched(url, media, charset, _body(response, deadline))
        finally:
            response.release_conn()
    raise FetchRefused(f"The page redirects more than {MAX_REDIRECTS} times.")


def _request(
    scheme: str, host: str, port: int, address: Address, url: str, deadline: float
) -> urllib3.BaseHTTPResponse:
    """One GET to the checked ``address``, naming ``host`` for its virtual host and TLS."""
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchRefused(f"The page took over {TIMEOUT_S:g} s to arrive.")
    timeout = urllib3.Timeout(connect=left, read=left)
    headers = {"Host": parts.netloc.rpartition("@")[2], "User-Agent": USER_AGENT}
    pool: urllib3.HTTPConnectionPool
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            str(address), port, server_hostname=host, assert_hostname=host, timeout=timeout,
            retries=False, maxsize=1,
        )  # fmt: skip
    else:
        pool = urllib3.HTTPConnectionPool(
            str(address), port, timeout=timeout, retries=False, maxsize=1
        )
    try:
        return pool.urlopen(
            "GET", path, headers=headers, redirect=False, preload_content=False,
            assert_same_host=False, decode_content=True,
        )  # fmt: skip
    except urllib3.exceptions.HTTPError as error:
        raise FetchRefused(f"The page could not be fetched ({_reason(error)}).") from None


def _body(response: urllib3.BaseHTTPResponse, deadline: float) -> bytes:
    """The body, stopped at ``MAX_BYTES`` or the deadline, whichever comes first."""
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > MAX_BYTES:
        raise FetchRefused(f"The page is {int(length):,} bytes; at most {MAX_BYTES:,} are read.")
    chunks: list[bytes] = []
    size = 0
    # A server that drips a byte at a time never lets a read time out: at the deadline the
    # watchdog shuts the socket, which ends the read under way.
    watchdog = threading.Timer(max(deadline - time.monotonic(), 0), response.shutdown)
    watchdog.start()
    try:
        while chunk := response.read1(CHUNK):
            size += len(chunk)
            if size > MAX_BYTES:
                raise FetchRefused(f"The page is over {MAX_BYTES:,} bytes; it is not read.")
            chunks.append(chunk)
    except (urllib3.exceptions.HTTPError, OSError) as error:
        if time.monotonic() < deadline:
            raise FetchRefused(f"The page could not be read ({_reason(error)}).") from None
    finally:
        watchdog.cancel()
    if time.monotonic() >= deadline:
        raise FetchRefused(f"The page took over {TIMEOUT_S:g} s to arrive.")
    return b"".join(chunks)


def _reason(error: Exception) -> str:
    """A short, reader-facing reason for a network error."""
    if isinstance(error, urllib3.exceptions.TimeoutError | socket.timeout):
        return f"no answer within {TIMEOUT_S:g} s"
    text = str(error)
    return text.rsplit(": ", 1)[-1][:200] if text else type(error).__name__
