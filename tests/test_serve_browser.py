"""`warta serve` in a real browser: headless Chromium loads the articles table, searches, checks results.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
JSON messages ended by NUL on file descriptors 3 and 4), so the test needs only
the chromium package, no driver and no Python browser library. The server is
``warta serve`` itself, started in a subprocess on a free loopback port.
Screenshots go to ``test-artifacts/`` (git-ignored).
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from analyst_fixtures import build_archive

from pipelines.archive import open_archive

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"
REPO = Path(__file__).resolve().parents[1]

#: Upper bound on any single wait for the browser or the server: a guard against
#: hangs, not a speed assertion.
HANG_GUARD_S = 60

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--hide-scrollbars", "--remote-debugging-pipe",
]


def _chromium() -> str | None:
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


class Browser:
    """A headless Chromium driven over the DevTools pipe (one page)."""

    def __init__(self, binary: str, profile_dir: Path):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire_pipes():  # runs in the child: the protocol wants fds 3 (in) and 4 (out)
            a, b = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.process = subprocess.Popen(
            [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile_dir}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(3, 4, to_browser_r, from_browser_w), preexec_fn=wire_pipes,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict] = []
        self.session = None
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Page.enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": 1600, "height": 1000, "deviceScaleFactor": 1, "mobile": False})

    def _read_message(self) -> dict:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_browser], [], [], HANG_GUARD_S)
            if not ready:
                raise TimeoutError("chromium sent nothing")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(raw)

    def send(self, method: str, params: dict | None = None) -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if self.session and not method.startswith(("Target.", "Browser.")):
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read_message()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self._events.append(reply)

    def wait_for_load(self) -> None:
        while True:
            for n, event in enumerate(self._events):
                if event.get("method") == "Page.loadEventFired":
                    del self._events[: n + 1]
                    return
            self._events.append(self._read_message())

    def goto(self, url: str) -> None:
        self._events.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_for_load()

    def js(self, expression: str):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def type_and_enter(self, selector: str, text: str) -> None:
        """Focus the field, type like a user, press Enter, wait for the next page."""
        self.js(f"document.querySelector({json.dumps(selector)}).focus()")
        self.send("Input.insertText", {"text": text})
        self._events.clear()
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                 "windowsVirtualKeyCode": 13, "text": "\r"})
        self.wait_for_load()

    def screenshot(self, path: Path) -> Path:
        data = self.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (OSError, EOFError, RuntimeError, TimeoutError):
            pass
        try:
            self.process.wait(timeout=HANG_GUARD_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


@pytest.fixture
def served_archive(tmp_path):
    """`warta serve --port 0` over the fixture archive; yields the base URL."""
    path = tmp_path / "archive.db"
    db = open_archive(path)
    build_archive(db)
    db.close()
    server = subprocess.Popen(
        [sys.executable, "-m", "crawler", "serve", "--port", "0", "--db", str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
    )
    try:
        ready, _, _ = select.select([server.stdout], [], [], HANG_GUARD_S)
        line = server.stdout.readline() if ready else ""
        if "serving" not in line:
            server.kill()
            pytest.fail(f"warta serve did not start: {line!r} {server.stderr.read()!r}")
        url = line.split(" at ", 1)[1].split()[0]  # http://127.0.0.1:PORT/archive/articles
        yield url.rsplit("/archive/", 1)[0]
    finally:
        server.terminate()
        try:
            server.wait(timeout=HANG_GUARD_S)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture
def browser(tmp_path):
    binary = _chromium()
    if binary is None:
        pytest.skip("chromium is not installed (apt-get install chromium)")
    b = Browser(binary, tmp_path / "chromium-profile")
    yield b
    b.close()


ROW_TITLES = "[...document.querySelectorAll('table.rows-and-columns tbody td.col-title')].map(td => td.innerText.trim())"


def test_articles_table_search_and_facets_in_chromium(served_archive, browser):
    browser.goto(served_archive + "/archive/articles")
    assert browser.js("document.querySelector('h1').innerText").strip() == "articles"
    # All twelve articles, newest first (sort_desc published_utc), the undated one last.
    titles = browser.js(ROW_TITLES)
    assert len(titles) == 12
    assert titles[0] == "Harga Pinang Melonjak Jelang Natal"
    assert titles[-1] == "Pengumuman Seleksi Pegawai Kampung"
    facets = browser.js("[...document.querySelectorAll('.facet-info')].map(f => f.getAttribute('data-column'))")
    assert {"site", "section", "published"} <= set(facets)
    # The column description from the metadata is shown for the columns.
    assert "site's offset" in browser.js("document.body.innerHTML")
    browser.screenshot(ARTIFACTS / "serve-articles.png")

    # Search like a user: type into the box, press Enter.
    browser.type_and_enter("input[name=_search]", "banjir")
    assert "_search=banjir" in browser.js("location.search")
    found = browser.js(ROW_TITLES)
    assert sorted(found) == [
        "Banjir Bandang Sentani, Warga Mengungsi",
        "Banjir Genangi Perumahan di Antang",
        "Banjir Rob Rendam Puluhan Rumah di Rangkasbitung",
    ]
    assert "3 rows where search matches" in browser.js("document.body.innerText")
    shot = browser.screenshot(ARTIFACTS / "serve-search.png")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # The same results with the columns a reader scans first (a readable picture of the search).
    browser.goto(served_archive + "/archive/articles?_search=banjir&_col=title&_col=site&_col=published"
                 "&_col=section&_col=author")
    assert sorted(browser.js(ROW_TITLES)) == sorted(found)
    browser.screenshot(ARTIFACTS / "serve-search-columns.png")

    # A query with FTS syntax errors is escaped by Datasette (each word a phrase): no error page.
    browser.goto(served_archive + "/archive/articles?_search=%22banjir+bandang")
    assert browser.js(ROW_TITLES) == ["Banjir Bandang Sentani, Warga Mengungsi"]

    # The month facet filters on the local publication month.
    browser.goto(served_archive + "/archive/articles?published__startswith=2019-12")
    assert sorted(browser.js(ROW_TITLES)) == [
        "Festival Coto Makassar Hadirkan Seratus Warung",
        "Festival Seba Baduy Dipadati Wisatawan",
        "Harga Pinang Melonjak Jelang Natal",
    ]


def test_canned_queries_in_chromium(served_archive, browser):
    browser.goto(served_archive + "/archive/articles_per_site_per_month")
    cells = browser.js("[...document.querySelectorAll('table.rows-and-columns tbody tr')]"
                       ".map(tr => [...tr.querySelectorAll('td')].map(td => td.innerText.trim()))")
    assert ["2019-11", "kabar-lebak", "3", "2"] in cells
    assert ["2019-12", "warta-makassar", "1", "1"] in cells
    browser.goto(served_archive + "/archive/failures")
    text = browser.js("document.body.innerText")
    assert "http-404" in text and "no-body" in text
    browser.goto(served_archive + "/archive/latest_articles")
    assert "Harga Pinang Melonjak Jelang Natal" in browser.js("document.body.innerText")
    browser.screenshot(ARTIFACTS / "serve-canned-query.png")


def test_metadata_copy_in_scripts_is_identical():
    """scripts/metadata.yaml is a copy of the packaged crawler/datasette_metadata.yaml."""
    canonical = (REPO / "crawler" / "datasette_metadata.yaml").read_text(encoding="utf-8")
    copy = (REPO / "scripts" / "metadata.yaml").read_text(encoding="utf-8")
    assert copy == canonical, "run: cp crawler/datasette_metadata.yaml scripts/metadata.yaml"


def test_metadata_describes_every_column(tmp_path):
    from crawler.serve import load_metadata

    db = open_archive(tmp_path / "archive.db")
    tables = load_metadata()["databases"]["archive"]["tables"]
    for table in ("articles", "pages", "article_versions", "crawls", "failures"):
        columns = {row[1] for row in db.execute(f"pragma table_info({table})")}
        described = set(tables[table]["columns"])
        assert columns == described, f"{table}: undescribed {columns - described}, unknown {described - columns}"
    db.close()

