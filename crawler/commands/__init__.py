"""Command modules of the `warta` CLI.

Each module here defines click commands and lists them in ``COMMANDS``; they
are added to the main group on import, so topics can grow without one giant file.
"""

from __future__ import annotations

import importlib
import pkgutil


def register(group) -> None:
    """Add the ``COMMANDS`` of every module in this package to ``group`` (idempotent)."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for command in getattr(module, "COMMANDS", []):
            if command.name not in group.commands:
                group.add_command(command)
