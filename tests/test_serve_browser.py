"""`warta serve` in a real browser: headless Chromium loads the search page, searches, checks the first screen.

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
from analyst_fixtures import add_flood_coverage, build_archive

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

    def __init__(self, binary: str, profile_dir: Path, width: int = 1280, height: int = 900):
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
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

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

    def screenshot(self, path: Path, *, whole_page: bool = True) -> Path:
        """A PNG of the whole page, or of the first screen (the viewport) only."""
        params = {"format": "png", "captureBeyondViewport": whole_page}
        if whole_page:
            size = self.send("Page.getLayoutMetrics")["cssContentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        data = self.send("Page.captureScreenshot", params)["data"]
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
    add_flood_coverage(db)
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
RESULT_TITLES = "[...document.querySelectorAll('li.warta-result .warta-title')].map(e => e.innerText.trim())"

#: What the first screen shows of each result fully inside it (the viewport, 1280 x 900).
FIRST_SCREEN = """
(() => {
  const inside = e => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight && r.height > 0; };
  const results = [...document.querySelectorAll('li.warta-result')].filter(inside).map(li => ({
    title: li.querySelector('a.warta-archived').innerText.trim(),
    archived: li.querySelector('a.warta-archived').getAttribute('href'),
    original: li.querySelector('a.warta-original').getAttribute('href'),
    site: li.querySelector('.warta-site').innerText.trim(),
    time: li.querySelector('.warta-time').innerText.trim(),
    snippet: li.querySelector('.warta-snippet').innerText.trim(),
    marks: [...li.querySelectorAll('.warta-snippet mark, .warta-title mark')].map(m => m.innerText),
    copies: (li.querySelector('.warta-copies') || {innerText: ''}).innerText.trim(),
  }));
  const box = document.querySelector('input[name=_q]');
  const facets = [...document.querySelectorAll('.warta-facets .facet-info')].filter(inside).map(f => f.dataset.column);
  const glossary = [...document.querySelectorAll('.warta-glossary summary, a[href="#glossary"]')].filter(inside).length;
  return {results, box: !!box && inside(box), facets, glossary};
})()
"""


def test_first_screen_answers_the_question(served_archive, browser):
    """At 1280 x 900 the page `warta serve` opens on holds the search box, >= 5 results, facets, the glossary link."""
    browser.goto(served_archive + "/")  # / opens the search page
    assert browser.js("location.pathname") == "/archive/articles"
    screen = browser.js(FIRST_SCREEN)
    browser.screenshot(ARTIFACTS / "search-first-screen.png", whole_page=False)
    assert screen["box"]
    assert len(screen["results"]) >= 5, screen["results"]
    assert screen["facets"] == ["site", "section", "published"]
    assert screen["glossary"] >= 1
    first = screen["results"][0]  # newest first: the last copy of the wire story
    assert first["title"] == "Ribuan Rumah Kebanjiran, BPBD Siagakan Posko"
    assert first["archived"] == "/archive/articles/https~3A~2F~2Fsuarajayapura~2Eexample~2Fberita~2Fwire-banjir-1200-rumah~2F"
    assert first["original"] == "https://suarajayapura.example/berita/wire-banjir-1200-rumah/"
    assert first["site"] == "suara-jayapura"
    assert first["time"] == "13 Des 2019, 14:30 WIT"  # the site's local time
    assert first["snippet"].startswith("JAYAPURA, Suarajayapura.example - Badan Penanggulangan")
    assert first["copies"] == "republished copy (3 copies on 3 sites)"

    # The glossary is one click away.
    assert not browser.js("document.getElementById('glossary').open")
    browser.js("document.querySelector('.warta-glossary summary').click()")
    assert browser.js("document.getElementById('glossary').open")
    assert "site's offset" in browser.js("document.getElementById('glossary').innerText")
    # The headline leads to the archived row.
    browser.goto(served_archive + first["archived"])
    assert "JAYAPURA, Suarajayapura.example" in browser.js("document.body.innerText")


def test_search_finds_every_form_and_marks_it(served_archive, browser):
    browser.goto(served_archive + "/archive/articles")
    browser.type_and_enter("input[name=_q]", "banjir")
    assert "_q=banjir" in browser.js("location.search")
    screen = browser.js(FIRST_SCREEN)
    browser.screenshot(ARTIFACTS / "search-banjir-first-screen.png", whole_page=False)
    browser.screenshot(ARTIFACTS / "search-banjir.png")
    assert len(screen["results"]) >= 5
    titles = browser.js(RESULT_TITLES)
    # "banjir" finds "kebanjiran" (and the title-only or body-only forms), newest first.
    assert "Ratusan Rumah di Cibadak Kebanjiran, Warga Dievakuasi" in titles
    assert "Drainase Tersumbat, Jalan Perintis Kebanjiran Lagi" in titles
    assert len(titles) == 11
    marked = {m.lower() for r in screen["results"] for m in r["marks"]}
    assert {"banjir", "kebanjiran"} <= marked
    assert "11 articles" in browser.js("document.querySelector('.warta-count').innerText")

    # Quoted: the exact form only.
    browser.goto(served_archive + "/archive/articles?_q=%22kebanjiran%22")
    assert set(browser.js(RESULT_TITLES)) == {
        "Ratusan Rumah di Cibadak Kebanjiran, Warga Dievakuasi", "Drainase Tersumbat, Jalan Perintis Kebanjiran Lagi",
        "Ribuan Rumah Kebanjiran, BPBD Siagakan Posko", "1.200 Rumah Terendam Banjir, Warga Diminta Waspada",
        "Banjir Rendam 1.200 Rumah di Lima Kecamatan"}
    assert "in its exact form" in browser.js("document.querySelector('.warta-count').innerText")
    # A facet narrows the search and the search keeps the facet.
    browser.goto(served_archive + "/archive/articles?_q=banjir&site=kabar-lebak")
    browser.js("const box = document.querySelector('input[name=_q]'); box.focus(); box.setSelectionRange(99, 99)")
    browser.type_and_enter("input[name=_q]", " rob")
    assert browser.js(RESULT_TITLES) == ["Banjir Rob Rendam Puluhan Rumah di Rangkasbitung"]
    # Bad syntax is searched word by word, with no error page.
    browser.goto(served_archive + "/archive/articles?_q=%22banjir+bandang")
    assert browser.js(RESULT_TITLES) == ["Banjir Bandang Sentani, Warga Mengungsi"]
    assert "searched word by word" in browser.js("document.querySelector('.warta-count').innerText")


def test_syndicated_copies_and_the_table_view(served_archive, browser):
    browser.goto(served_archive + "/archive/articles?_q=kebanjiran")
    group = browser.js("document.querySelector('a.warta-copies').getAttribute('href')")
    browser.goto(served_archive + group)
    assert sorted(browser.js(RESULT_TITLES)) == [
        "1.200 Rumah Terendam Banjir, Warga Diminta Waspada", "Banjir Rendam 1.200 Rumah di Lima Kecamatan",
        "Ribuan Rumah Kebanjiran, BPBD Siagakan Posko"]
    copies = browser.js("[...document.querySelectorAll('a.warta-copies')].map(a => a.innerText.trim())")
    assert copies.count("first of 3 copies on 3 sites") == 1
    browser.screenshot(ARTIFACTS / "search-syndicated-copies.png", whole_page=False)

    # Datasette's own table is one click away; its _search is the exact-form FTS search.
    browser.goto(served_archive + "/archive/articles?_table=1&_search=banjir&_col=title&_col=site"
                 "&_col=published&_col=dup_group&_col=earliest_copy")
    assert len(browser.js(ROW_TITLES)) == 8  # the exact word "banjir" only (not "kebanjiran")
    assert browser.js("document.querySelector('details.column-glossary') !== null")
    browser.screenshot(ARTIFACTS / "table-view.png", whole_page=False)
    # The month facet filters on the local publication month.
    browser.goto(served_archive + "/archive/articles?published__startswith=2019-11&_table=1")
    assert len(browser.js(ROW_TITLES)) == 8


def test_canned_queries_in_chromium(served_archive, browser):
    browser.goto(served_archive + "/archive/articles_per_site_per_month")
    cells = browser.js("[...document.querySelectorAll('table.rows-and-columns tbody tr')]"
                       ".map(tr => [...tr.querySelectorAll('td')].map(td => td.innerText.trim()))")
    assert ["2019-11", "kabar-lebak", "3", "2"] in cells
    assert ["2019-12", "warta-makassar", "4", "4"] in cells
    browser.goto(served_archive + "/archive/failures")
    text = browser.js("document.body.innerText")
    assert "http-404" in text and "no-body" in text
    browser.goto(served_archive + "/archive/latest_articles")
    assert "Harga Pinang Melonjak Jelang Natal" in browser.js("document.body.innerText")
    browser.screenshot(ARTIFACTS / "serve-canned-query.png")
    browser.goto(served_archive + "/archive/syndicated_stories")
    cells = browser.js("[...document.querySelectorAll('table.rows-and-columns tbody tr')]"
                       ".map(tr => [...tr.querySelectorAll('td')].map(td => td.innerText.trim()))")
    assert len(cells) == 1 and cells[0][1:4] == ["3", "3", "kabar-lebak,suara-jayapura,warta-makassar"] or \
        len(cells) == 1 and cells[0][1:3] == ["3", "3"]


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

