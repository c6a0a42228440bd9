"""``python -m crawler.demo``: serve the demo sites in the foreground until Ctrl-C."""

from __future__ import annotations

import time

from . import demo_sites, serve_demo


def main() -> None:
    with serve_demo() as demo:
        for slug, origin in demo.origins.items():
            print(f"{slug:15} {origin}/  (public: {demo.sites[slug].base_url})")
        print(f"{len(demo_sites())} sites up; Ctrl-C stops them.", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
