"""``/export/FMT``: the web app's lists and network as files to download.

``/export/csv?table=events&actor=taliban`` and ``/export/json?table=...`` write one list (actors,
ties, events, judgments or documents) with the filters its page was showing; every other format
is one of ``khabar export`` (:data:`khabar.export.FORMATS`: acled-csv, jsonl, stix, misp, ftm,
graphml, gexf, gold), written by :func:`khabar.export.export` over the same filters (actor,
place, type, since, until). Rows are shaped by :class:`khabar.export.base.Records` (the analyst
layer applied), CSV cells by :func:`khabar.export.tables.cell` (lists as JSON, formula-like text
neutralised). The file is written to a temporary folder in the request's thread (a SQLite
connection stays in its thread) and sent with ``Content-Disposition: attachment``, then removed.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from khabar.schema import is_partial_date, vocab
from khabar.web.api import workspace
from khabar.web.listing import EXPORT_TABLES

__all__ = ["router", "table_rows", "TABLE_COLUMNS"]

router = APIRouter(include_in_schema=False)

_Text = Annotated[str | None, Query(max_length=200)]
_MEDIA = {"csv": "text/csv; charset=utf-8", "json": "application/json", "acled-csv": "text/csv; charset=utf-8",
          "jsonl": "application/x-ndjson", "ftm": "application/x-ndjson", "gold": "application/x-ndjson",
          "graphml": "application/xml", "gexf": "application/xml"}


def _columns() -> dict[str, tuple[str, ...]]:
    from khabar.export.base import DOCUMENT_FIELDS
    from khabar.export.tables import TABLES

    return {"actors": TABLES["actors"], "ties": TABLES["ties"], "events": TABLES["events"],
            "judgments": TABLES["judgments"], "documents": DOCUMENT_FIELDS}


TABLE_COLUMNS = _columns()  # the CSV columns of each table (the json rows carry the same keys, ties their evidence too)


def table_rows(ws: Any, table: str, f: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The rows of one list as the export framework shapes them, filtered as its page is:
    actors by ``kind`` and a name (``q``); ties by ``actor`` and ``type``; events by ``actor``,
    ``place``, ``type``, ``since``, ``until``; judgments by ``actor`` (about), ``speaker`` and
    ``due``; documents by ``source``."""
    from khabar.export.base import Records

    if table == "events":
        records = Records(ws, actor=f.get("actor"), place=f.get("place"), types=f.get("type"), since=f.get("since"),
                          until=f.get("until"), rejected=bool(f.get("rejected")))
        yield from records.events()
        return
    records = Records(ws, actor=f.get("actor"), rejected=bool(f.get("rejected")))
    if table == "actors":
        needle = (f.get("q") or "").strip().lower()
        for a in records.actors():
            if f.get("kind") and a.get("kind") != f["kind"]:
                continue
            if needle and needle not in a["id"] and needle not in str(a.get("name") or "").lower() and not any(
                    needle in str(n).lower() for n in a.get("aliases") or []):
                continue
            yield a
    elif table == "ties":
        for t in records.ties():
            if not f.get("type") or t["type"] == f["type"]:
                yield t
    elif table == "judgments":
        today = dt.date.today().isoformat()
        speaker = (f.get("speaker") or "").strip().casefold()
        for j in records.judgments():
            if speaker and str(j.get("speaker") or "").casefold() != speaker:
                continue
            if f.get("due") and not (j.get("due") and j["due"] <= today and j.get("outcome") is None):
                continue
            yield j
    elif table == "documents":
        for d in records.documents():
            if not f.get("source") or d.get("source") == f["source"]:
                yield d


def _write_table(ws: Any, fmt: str, table: str, filters: dict[str, Any], out: Path) -> None:
    from khabar.export.tables import cell

    columns = TABLE_COLUMNS[table]
    with out.open("w", encoding="utf-8", newline="") as fh:
        if fmt == "csv":
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(columns)
            for row in table_rows(ws, table, filters):
                writer.writerow([cell(row.get(c)) for c in columns])
            return
        fh.write("[")  # a JSON array written a row at a time
        for n, row in enumerate(table_rows(ws, table, filters)):
            fh.write(("," if n else "") + "\n" + json.dumps(row, ensure_ascii=False, default=str))
        fh.write("\n]\n")


@router.get("/export/{fmt}", response_model=None)
def export_file(request: Request, fmt: str, table: _Text = None, actor: _Text = None, place: _Text = None,
                type: _Text = None, since: _Text = None, until: _Text = None,  # noqa: A002
                rejected: _Text = None, kind: _Text = None, q: _Text = None, speaker: _Text = None,
                due: _Text = None, source: _Text = None) -> FileResponse:
    """One list (``csv``, ``json``: ``?table=``) or the whole filtered base in a format of
    ``khabar export``, as a download."""
    from khabar.export import FORMATS, default_output, export

    if fmt not in ("csv", "json") and fmt not in FORMATS:
        raise HTTPException(status_code=404, detail=f"no export format {fmt!r} (csv, json, {', '.join(FORMATS)})")
    table = table or ("events" if fmt in ("csv", "json") else None)
    if fmt in ("csv", "json") and table not in EXPORT_TABLES:
        raise HTTPException(status_code=400, detail=f"table: give one of {', '.join(EXPORT_TABLES)}")
    for name, value in (("since", since), ("until", until)):
        if value and not is_partial_date(value):
            raise HTTPException(status_code=400, detail=f"{name}: {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD [E303]")
    # ``type`` is a tie type for the ties table, else an event type; an unknown one is ignored, as the pages do
    kinds = vocab()["tie_types"] if table == "ties" else vocab()["event_types"]
    if type and type not in kinds:
        type = None  # noqa: A001
    filters = {"actor": actor or None, "place": place or None, "type": type or None, "since": since or None,
               "until": until or None, "rejected": bool(rejected), "kind": kind, "q": q, "speaker": speaker,
               "due": bool(due), "source": source or None}
    folder = Path(tempfile.mkdtemp(prefix="khabar-export-"))
    try:
        with workspace(request) as ws:
            if fmt in ("csv", "json"):
                name = f"khabar-{table}.{fmt}"
                _write_table(ws, fmt, str(table), filters, folder / name)
                path = folder / name
            else:
                name = default_output(fmt)
                path = folder / name
                export(ws, fmt, path, actor=filters["actor"], place=filters["place"], types=filters["type"],
                       since=filters["since"], until=filters["until"], rejected=filters["rejected"])
                if not path.exists():  # a format that writes several files (none today): send them zipped
                    archive = shutil.make_archive(str(folder / "khabar-export"), "zip", folder)
                    path, name = Path(archive), Path(archive).name
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(path, media_type=_MEDIA.get(fmt, "application/json"), filename=name,
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))
