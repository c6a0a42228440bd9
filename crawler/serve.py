"""Serve an archive with Datasette on 127.0.0.1: warta's metadata, FTS search box, a month facet.

The metadata lives in ``crawler/datasette_metadata.yaml`` (one source of truth;
``scripts/metadata.yaml`` is a checked copy). A small Datasette plugin adds the
``month`` facet type, so the articles table facets on the site's local
publication month without any extra column in the schema.

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

    path = Path(path)
    open_archive(path, create=False).close()  # exists, is an archive, schema up to date
    if not pm.is_registered(_plugin_module()):
        pm.register(_plugin_module(), name="warta_month_facet")
    return Datasette([str(path)], metadata=load_metadata(path.stem), settings=DATASETTE_SETTINGS)


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
    except OSError as e:
        sock.close()
        raise WartaError(f"cannot listen on 127.0.0.1:{port}: {e.strerror or e}") from None
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
