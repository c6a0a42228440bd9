"""The demo server: every demo site on its own loopback port, in background threads."""

from __future__ import annotations

import gzip
import threading
from datetime import UTC
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from .site import DemoSite, Request

#: Bodies larger than this are gzipped for clients that accept it (as a real web server does).
GZIP_MIN_BYTES = 1024


class _Handler(BaseHTTPRequestHandler):
    server_version = "nginx"  # what the fictional sites would claim
    sys_version = ""
    site: DemoSite  # set on the per-site subclass
    log: list[tuple[str, str]]

    def _respond(self, send_body: bool) -> None:
        parts = urlsplit(self.path)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        host = self.headers.get("Host") or "{}:{}".format(*self.server.server_address[:2])
        self.log.append((self.site.slug, self.path))
        response = self.site.resolve(Request(parts.path or "/", query, f"http://{host}"))
        body = response.body
        status = response.status
        if status == 200 and self._not_modified(response):
            status, body = 304, b""
        headers = {"Content-Type": response.content_type}
        if response.last_modified is not None:
            headers["Last-Modified"] = format_datetime(response.last_modified.astimezone(UTC), usegmt=True)
        if len(body) > GZIP_MIN_BYTES and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept-Encoding"
        headers["Content-Length"] = str(len(body))
        headers.update(response.headers)
        self.send_response(status)
        for key, value in headers.items():
            self.send_header(key, value)
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)

    def _not_modified(self, response) -> bool:
        """True for a conditional GET whose copy is still current (answered 304, as nginx does)."""
        since = self.headers.get("If-Modified-Since")
        if not since or response.last_modified is None:
            return False
        try:
            return response.last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._respond(True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._respond(False)

    def log_message(self, format: str, *args) -> None:  # quiet: tests and crawls log on their own
        pass


class DemoServer:
    """The demo sites served on 127.0.0.1, one free port each.

    ``origins`` maps a site slug to its origin (``http://127.0.0.1:PORT``);
    ``hosts`` binds some sites to other loopback addresses (``{"kabar-lebak":
    "127.0.0.12"}``), so that each is a host of its own, as real sites are;
    ``requests`` lists every ``(slug, path?query)`` asked for, so a test can
    prove that a crawl never fetched what robots.txt disallows.

    Example usage::

        with serve_demo() as demo:
            print(demo.origins["kabar-lebak"])
    """

    def __init__(self, sites: list[DemoSite], host: str = "127.0.0.1", hosts: dict[str, str] | None = None):
        self.sites = {s.slug: s for s in sites}
        self.requests: list[tuple[str, str]] = []
        self._servers: list[ThreadingHTTPServer] = []
        self._threads: list[threading.Thread] = []
        self.origins: dict[str, str] = {}
        for site in sites:
            handler = type(f"Handler_{site.slug.replace('-', '_')}", (_Handler,),
                           {"site": site, "log": self.requests})
            address = (hosts or {}).get(site.slug, host)
            httpd = ThreadingHTTPServer((address, 0), handler)
            httpd.daemon_threads = True
            self._servers.append(httpd)
            port = httpd.server_address[1]
            self.origins[site.slug] = f"http://{address}:{port}"
            thread = threading.Thread(target=httpd.serve_forever, name=f"demo-{site.slug}", daemon=True)
            thread.start()
            self._threads.append(thread)

    def requested_paths(self, slug: str) -> list[str]:
        """Every path (with its query) requested from one site so far."""
        return [path for s, path in list(self.requests) if s == slug]

    def public_to_origin(self) -> dict[str, str]:
        """Each site's public base URL mapped to its loopback origin."""
        return {self.sites[slug].base_url: origin for slug, origin in self.origins.items()}

    def close(self) -> None:
        for httpd in self._servers:
            httpd.shutdown()
            httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)
        self._servers.clear()
        self._threads.clear()

    def __enter__(self) -> DemoServer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
