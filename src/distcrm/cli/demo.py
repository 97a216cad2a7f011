"""``distcrm demo``: a sample network in a SQLite file and one month through every capability.

The sample (:mod:`distcrm.testing.sample`) is written to a fresh SQLite file
(``distcrm-demo.sqlite`` in the current directory by default; an existing file
of that name is replaced) with its beats beside it (``distcrm-demo.beats.json``,
for ``distcrm coverage``), then the last month of the sample is run against
it: prices, schemes, claims, sell-through, coverage and alerts (see
:mod:`distcrm.cli.month`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO

from distcrm import serde
from distcrm.cli.month import demo_beats, month_sections
from distcrm.cli.progress import ProgressBar
from distcrm.cli.summary import render_demo, render_sections
from distcrm.stores.sqlite import SqliteStore
from distcrm.testing.sample import SampleData

__all__ = ["DEFAULT_DB", "beats_path", "load_sample", "run_demo"]

DEFAULT_DB = "distcrm-demo.sqlite"
"""The demo's database file, in the current directory unless ``--db`` says otherwise."""


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def load_sample(
    data: SampleData, path: str | Path, *, stream: TextIO, progress: bool = False
) -> SqliteStore:
    """Write ``data`` into a fresh SQLite file at ``path`` (replacing it) and return the store.

    With ``progress``, a bar per step is drawn on ``stream``.
    """
    path = Path(path)
    if str(path) != ":memory:":
        _remove(path)
    store = SqliteStore(path)
    store.accounts.add_many(data.accounts)
    store.products.add_many(data.products)
    store.links.add_many(data.links)
    bar = ProgressBar("documents", len(data.documents), stream, enabled=progress)
    store.documents.load(data.documents, batch_size=500, progress=bar.update)
    bar.finish()
    bar = ProgressBar("visits", len(data.visits), stream, enabled=progress)
    chunk = 1000
    for i in range(0, len(data.visits), chunk):
        store.visits.add_many(data.visits[i : i + chunk])
        bar.update(i + chunk)
    bar.finish()
    return store


def beats_path(db: str | Path) -> Path:
    """Where the demo writes its beats for ``distcrm coverage``: beside the database.

    Examples:
        >>> beats_path("distcrm-demo.sqlite").name
        'distcrm-demo.beats.json'
    """
    p = Path(db)
    return p.with_name(f"{p.stem}.beats.json")


def run_demo(
    data: SampleData, db: str | Path, *, stream: TextIO, progress: bool = False
) -> str:
    """The demo's full report for ``data``, after loading it into ``db`` and running a month."""
    store = load_sample(data, db, stream=stream, progress=progress)
    beats = beats_path(db)
    if str(db) != ":memory:":
        beats.write_text(json.dumps(serde.unstructure(demo_beats(data)), indent=1) + "\n",
                         encoding="utf-8")
    try:
        sections = month_sections(data, store)
    finally:
        store.close()
    where = (f"Database: {db} ({len(data.accounts):,} accounts, {len(data.products)} products, "
             f"{len(data.documents):,} documents, {len(data.visits):,} visits; "
             f"replaced on every run); beats for distcrm coverage in {beats.name}")
    return "\n".join([render_demo(data), "", where, render_sections(sections)])
