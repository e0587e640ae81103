"""Fetching a reader's URL (corridors.fetch): a real HTTP server on 127.0.0.1, let through only by
the test setting, serves pages, redirects, oversized, slow and never-ending answers."""

from __future__ import annotations

import ipaddress
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from corridors import fetch
from corridors.fetch import FetchRefused

PAGE = b"<html><head><title>A line</title></head><body><p>The railway runs.</p></body></html>"


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # quiet
        pass

    def send(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        if "Content_Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        port = self.server.server_address[1]
        if path == "/article":
            self.send(200, PAGE, Content_Type="text/html; charset=utf-8")
        elif path == "/host":
            self.send(200, self.headers["Host"].encode(), Content_Type="text/plain")
        elif path == "/to-article":
            self.send(302, Location="/article")
        elif path == "/to-metadata":
            self.send(302, Location="http://169.254.169.254/latest/meta-data/")
        elif path == "/to-private":
            self.send(301, Location="http://10.0.0.1/")
        elif path == "/to-file":
            self.send(302, Location="file:///etc/passwd")
        elif path.startswith("/loop"):
            self.send(302, Location=f"http://127.0.0.1:{port}/loop{len(path)}")
        elif path == "/big":
            self.send(200, b"a" * (fetch.MAX_BYTES + 1), Content_Type="text/plain")
        elif path == "/big-unannounced":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            for _ in range(40):
                self.wfile.write(b"a" * 65_536)
        elif path == "/drip":  # a byte every 0.2 s, for ever: never a read timeout
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            try:
                while True:
                    self.wfile.write(b"a")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                return
        elif path == "/silent":  # headers never come
            time.sleep(fetch.TIMEOUT_S + 3)
        elif path == "/image":
            self.send(200, b"\x89PNG\r\n", Content_Type="image/png")
        else:
            self.send(404, b"missing")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_page_is_fetched_with_its_type_and_host(server: str) -> None:
    page = fetch.fetch(f"{server}/article", loopback_ok=True)
    assert page.body == PAGE and page.content_type == "text/html" and page.charset == "utf-8"
    assert page.url == f"{server}/article"
    host = fetch.fetch(f"{server}/host", loopback_ok=True)
    assert host.body.decode() == server.removeprefix("http://")


def test_a_redirect_is_followed_and_the_final_url_kept(server: str) -> None:
    page = fetch.fetch(f"{server}/to-article", loopback_ok=True)
    assert page.body == PAGE and page.url == f"{server}/article"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/to-metadata", "169.254.169.254, a link-local address"),
        ("/to-private", "10.0.0.1, a private or reserved address"),
        ("/to-file", "Only http and https"),
        ("/loop", "redirects more than 5 times"),
    ],
)
def test_redirects_are_checked_like_the_first_url(server: str, path: str, message: str) -> None:
    with pytest.raises(FetchRefused, match=message):
        fetch.fetch(server + path, loopback_ok=True)


def test_loopback_is_refused_without_the_test_setting(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(fetch.LOOPBACK_SETTING, raising=False)
    with pytest.raises(FetchRefused, match=r"127\.0\.0\.1, a loopback address"):
        fetch.fetch(f"{server}/article")
    monkeypatch.setenv(fetch.LOOPBACK_SETTING, "1")
    assert fetch.fetch(f"{server}/article").body == PAGE


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1/", "loopback"),
        ("http://127.1.2.3:8080/", "loopback"),
        ("http://localhost:8501/", "loopback"),
        ("http://[::1]/", "loopback"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://10.1.2.3/", "private"),
        ("http://192.168.0.1/", "private"),
        ("http://172.16.5.4/", "private"),
        ("http://100.64.0.1/", "private or reserved"),  # carrier-grade NAT
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://[fd00::1]/", "private"),
        ("http://0.0.0.0/", "private or reserved"),
        ("http://2130706433/", "loopback"),  # 127.0.0.1 as one number
        ("http://0x7f000001/", "loopback"),
        ("ftp://example.org/a", "Only http and https"),
        ("file:///etc/passwd", "Only http and https"),
        ("gopher://127.0.0.1:70/", "Only http and https"),
        ("javascript:alert(1)", "Only http and https"),
        ("http://example.org:22/", "Port 22 is reserved"),
        ("http://user:pw@example.org/", "user name or password"),
        ("http:///nohost", "no host name"),
        ("http://example.org:99999/", "port is not a number"),
    ],
)
def test_urls_to_the_servers_own_network_are_refused(url: str, message: str) -> None:
    with pytest.raises(FetchRefused, match=message):
        fetch.fetch(url, loopback_ok=False)


def test_private_ranges_stay_refused_with_the_test_setting() -> None:
    for url in ("http://10.0.0.1/", "http://169.254.169.254/", "http://[fd00::1]/"):
        with pytest.raises(FetchRefused, match=r"private|link-local"):
            fetch.fetch(url, loopback_ok=True)


def test_every_public_address_passes_and_a_mapped_private_one_does_not() -> None:
    public = ipaddress.ip_address("93.184.216.34")
    assert fetch.refusal(public, loopback_ok=False) is None
    assert fetch.refusal(ipaddress.ip_address("2606:2800:220:1::1"), loopback_ok=False) is None
    mapped = ipaddress.ip_address("::ffff:169.254.169.254")
    assert fetch.refusal(mapped, loopback_ok=True) is not None


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/big", "is 2,000,001 bytes"),
        ("/big-unannounced", "over 2,000,000 bytes"),
        ("/image", "image/png, not a web page"),
        ("/nowhere", "answered 404"),
    ],
)
def test_oversized_and_wrong_answers_are_refused(server: str, path: str, message: str) -> None:
    with pytest.raises(FetchRefused, match=message):
        fetch.fetch(server + path, loopback_ok=True)


@pytest.mark.parametrize("path", ["/drip", "/silent"])
def test_a_slow_or_endless_page_is_given_up_at_the_time_limit(server: str, path: str) -> None:
    start = time.monotonic()
    with pytest.raises(FetchRefused, match="10 s"):
        fetch.fetch(server + path, loopback_ok=True)
    assert fetch.TIMEOUT_S - 0.5 < time.monotonic() - start < fetch.TIMEOUT_S + 1.0
