"""Where page -> article spends its CPU time: median ms per stage on a development set.

Usage::

    .venv/bin/python scripts/bench_stages.py --dataset world-news-dev
    .venv/bin/python scripts/bench_stages.py --dataset world-news-dev --against /tmp/main-copy

Each page is extracted ``--repeat`` times (``extract_article`` on the decoded text, as
``scripts/eval_extraction.py --speed`` does); the fastest run is kept and split into stages by the
CPU time of this thread (``time.thread_time``) around each stage's call in ``pipelines/core.py``:
parse, choosing the container (``content.find_content``), cleaning it (``core._clean_body``),
dates (``core._dates_for``), headline, metadata and author (``metadata.read_metadata``,
``find_headline``, ``nearest_headline``, ``extract_author``) and the rest (profile, language,
decision, freeing the tree). A stage called inside another is counted in the outer one.

``--against DIR`` loads a second copy of the package (``DIR/pipelines``, e.g. a ``git archive``
of main unpacked in DIR) in the same process and runs both copies in turn on every page, so that
the load of a shared machine weighs on both alike: the figure to compare a change with.
The HTML is decoded before timing; the first run of each page is not timed (warm caches).
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

from eval_extraction import DATASETS, _load_scorer  # noqa: E402

STAGES = ["parse", "choosing the container", "cleaning it", "dates", "headline, metadata, author", "the rest",
          "page -> article"]


def _load_copy(directory: Path):
    """The ``pipelines`` package under ``directory``, imported as ``pipelines_against``."""
    init = directory / "pipelines" / "__init__.py"
    if not init.is_file():
        raise SystemExit(f"{init} not found")
    spec = importlib.util.spec_from_file_location("pipelines_against", init,
                                                  submodule_search_locations=[str(init.parent)])
    module = importlib.util.module_from_spec(spec)
    sys.modules["pipelines_against"] = module
    spec.loader.exec_module(module)
    return module


def _instrument(core, times: dict) -> None:
    """Wrap the stage calls of one ``pipelines.core`` module so that they add their CPU time to ``times``."""
    active = []

    def wrap(owner, name: str, stage: str) -> None:
        fn = getattr(owner, name)

        @functools.wraps(fn)
        def timed(*args, **kwargs):
            if active:  # called inside another stage: counted there
                return fn(*args, **kwargs)
            active.append(stage)
            start = time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                times[stage] = times.get(stage, 0.0) + time.thread_time() - start
                active.pop()

        setattr(owner, name, timed)

    wrap(core, "_parse", "parse")
    wrap(core.content, "find_content", "choosing the container")
    wrap(core, "_clean_body", "cleaning it")
    wrap(core, "_dates_for", "dates")
    for name in ("read_metadata", "find_headline", "nearest_headline", "extract_author"):
        wrap(core.metadata, name, "headline, metadata, author")


def measure(pages, systems: dict, repeat: int) -> dict:
    """``{system: {stage: [ms of each page]}}``; ``systems`` maps a name to (extract_article, its stage times)."""
    out = {name: {stage: [] for stage in STAGES} for name in systems}
    for html, url in pages:
        best = {name: (float("inf"), {}) for name in systems}
        for extract, _times in systems.values():
            extract(html, url)  # warm-up
        for _ in range(repeat):
            for name, (extract, times) in systems.items():
                times.clear()
                start = time.thread_time()
                extract(html, url)
                total = time.thread_time() - start
                if total < best[name][0]:
                    best[name] = (total, dict(times))
        for name, (total, times) in best.items():
            times["the rest"] = total - sum(times.values())
            times["page -> article"] = total
            for stage in STAGES:
                out[name][stage].append(times.get(stage, 0.0) * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dataset", choices=sorted(DATASETS), default="world-news-dev")
    ap.add_argument("--repeat", type=int, default=5, help="runs per page; the fastest is kept (default 5)")
    ap.add_argument("--against", type=Path, metavar="DIR", help="also run DIR/pipelines, in turn with this one")
    args = ap.parse_args(argv)
    root = DATASETS[args.dataset]
    if not root.is_dir():
        raise SystemExit(f"{root} not found: this script needs the shared evaluation folder")
    _, loaded = _load_scorer().load_dataset(root)
    pages = [(p.html, p.url) for p in loaded]

    import pipelines.core

    cores = [("this", pipelines.core)]
    if args.against:
        _load_copy(args.against)
        cores.append(("against", importlib.import_module("pipelines_against.core")))
    systems = {}
    for name, core in cores:
        times: dict = {}
        _instrument(core, times)
        systems[name] = (core.extract_article, times)
    results = measure(pages, systems, max(1, args.repeat))
    names = list(systems)[::-1]  # the copy compared with first
    print(f"{args.dataset}: {len(pages)} pages, median CPU ms per page (fastest of {args.repeat} runs)")
    print("| stage | " + " | ".join(names) + " |")
    print("| --- |" + " --- |" * len(names))
    for stage in STAGES:
        print(f"| {stage} | " + " | ".join(f"{statistics.median(results[n][stage]):.2f}" for n in names) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
