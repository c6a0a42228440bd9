"""Serve an archive with Datasette on 127.0.0.1, opening on warta's search page.

Datasette's own mechanisms, nothing beside them: the metadata
(``crawler/datasette_metadata.yaml``; ``scripts/metadata.yaml`` is a checked
copy) describes every column and holds the canned queries; a template
(``crawler/templates/table.html``) turns the articles table into the search
page; a plugin (:mod:`crawler.datasette_plugin`) adds the Indonesian-aware
``?_q=`` search, the helpers the page uses and the ``month`` facet.

Example usage::

    from crawler.serve import serve_archive
    serve_archive("archive.db", port=8001)
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path

from pipelines.archive import open_archive
from pipelines.errors import WartaError

#: The Datasette metadata of a warta archive.
METADATA_PATH = Path(__file__).resolve().parent / "datasette_metadata.yaml"

#: Templates: the search page (the articles table's page).
TEMPLATES_PATH = Path(__file__).resolve().parent / "templates"

#: Datasette settings: a larger SQL time limit than the default 1 s, for facets
#: over a few hundred thousand articles; long cells (bodies) cut in the HTML
#: tables so that a page of articles stays readable (JSON and CSV keep all).
DATASETTE_SETTINGS = {"sql_time_limit_ms": 5000, "facet_time_limit_ms": 1000, "truncate_cells_html": 180}


def load_metadata(database: str = "archive") -> dict:
    """The metadata, with its database key renamed to ``database`` (Datasette's name for the file).

    >>> sorted(load_metadata("demo")["databases"])
    ['demo']
    """
    import yaml

    data = yaml.safe_load(METADATA_PATH.read_text(encoding="utf-8"))
    data["databases"] = {database: data["databases"]["archive"]}
    return data


def make_datasette(path: str | Path):
    """A Datasette instance over the archive at ``path`` with warta's metadata and plugin.

    :raises ArchiveError: when there is no archive at ``path``.
    """
    from datasette.app import Datasette
    from datasette.plugins import pm

    from pipelines.archive import refresh_derived

    path = Path(path)
    db = open_archive(path, read_only=True)  # exists, is an archive, schema up to date
    try:
        refresh_derived(db, path)  # Datasette reads only: the stems and groups are made current first
    finally:
        db.close()
    if not pm.is_registered(_plugin_module()):
        pm.register(_plugin_module(), name="warta")
    return Datasette([str(path)], metadata=load_metadata(path.stem), settings=DATASETTE_SETTINGS,
                     template_dir=str(TEMPLATES_PATH))


def _plugin_module():
    from crawler import datasette_plugin

    return datasette_plugin


def bind_port(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1:``port`` (0 picks a free port).

    :raises WartaError: when the port is taken or not allowed.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(("127.0.0.1", port))
    except (OSError, OverflowError) as e:  # OverflowError: a port outside 0-65535
        sock.close()
        raise WartaError(f"cannot listen on 127.0.0.1:{port}: {getattr(e, 'strerror', None) or e}") from None
    sock.listen(128)
    return sock


def serve_archive(path: str | Path, port: int = 8001, *, announce=print) -> None:
    """Serve the archive until interrupted; ``announce`` receives the URL line first.

    :raises ArchiveError: when there is no archive at ``path``.
    :raises WartaError: when the port cannot be used.
    """
    import uvicorn

    datasette = make_datasette(path)
    sock = bind_port(port)
    host, bound = sock.getsockname()[:2]
    announce(f"serving {path} at http://{host}:{bound}/{Path(path).stem}/articles (Ctrl-C stops)")
    sys.stdout.flush()
    config = uvicorn.Config(datasette.app(), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
