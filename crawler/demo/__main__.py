"""``python -m crawler.demo [--shapes]``: serve the demo sites (or the site shapes) in the foreground until Ctrl-C."""

from __future__ import annotations

import sys
import time

from . import serve_demo


def main(argv: list[str]) -> None:
    if argv and argv[0] not in ("--shapes",):
        sys.exit("usage: python -m crawler.demo [--shapes]")
    if argv:
        from .shapes import serve_shapes, shape_slugs

        server = serve_shapes()
        names = {slug: name for name, slug in shape_slugs().items()}
    else:
        server = serve_demo()
        names = {}
    with server as demo:
        for slug, origin in demo.origins.items():
            label = f"{names[slug]} ({slug})" if slug in names and names[slug] != slug else slug
            print(f"{label:32} {origin}/  (public: {demo.sites[slug].base_url})")
        print(f"{len(demo.origins)} sites up; Ctrl-C stops them.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main(sys.argv[1:])
