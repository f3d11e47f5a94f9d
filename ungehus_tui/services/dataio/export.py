"""The nightly export for IT: one file per entity plus `manifest.json`, written atomically.

Window: rows with `since <= updated_at < until`, where `since` is the watermark of the last
successful export and `until = now - export_lag_seconds`. The lag lets transactions that were
open when the export started commit first: a row stamped before `until` but committed late
would otherwise fall between two nights. `--full` drops `since` (every row changed before
`until`; rows changed in the lag appear again in the next night's file: join on `id`).

Atomic: files are written into `OUT/.tmp-*` (0700), fsynced, then the folder is renamed to
`OUT/<local time YYYY-MM-DDTHHMMSS>` and `OUT/latest` (a symlink) is swapped to it; only then
does the watermark move, in one transaction with the EXPORT audit event. A run killed before
the rename leaves the previous folders, `latest` and the watermark as they were (its
`.tmp-*` folder is removed by the next run); a run killed between the rename and the
watermark leaves a complete folder that the next run exports again (at least once, never
lost). One export at a time per OUT folder (`OUT/.lock`).

`manifest.json` also holds the audit chain's head when the export ran (`audit_head`: events,
hash), an anchor outside the database for `ungehus audit verify --anchor manifest.json`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import hmac
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from sqlalchemy.engine import Connection
from sqlalchemy.sql import Select

from ungehus_tui.data import migrate
from ungehus_tui.data.engine import write_session
from ungehus_tui.data.models import ExportWatermark
from ungehus_tui.domain.clock import local, now
from ungehus_tui.services.access import audit
from ungehus_tui.services.access.permissions import Action, require
from ungehus_tui.services.context import Actor, Ctx
from ungehus_tui.services.dataio.export_copy import CopyPlan, copy_lines, copy_plan, copy_query
from ungehus_tui.services.dataio.export_entities import entities
from ungehus_tui.services.dataio.export_parallel import share
from ungehus_tui.services.dataio.export_rows import (
    PSEUDONYM_INPUT,
    SEPARATOR,
    Plan,
    cells,
    lines,
    plan_for,
    pseudonymiser,
)
from ungehus_tui.services.dataio.tabular import (
    EXTENSIONS,
    Ambiguous,
    Dialect,
    RowWriter,
    open_private,
)
from ungehus_tui.services.errors import Conflict, ServiceError

STREAM = "export"
STREAM_CPR = "export_cpr"  # an export with CPR keeps its own watermark
MIN_KEY_LENGTH = 16
YIELD_PER = 2000
NO_KEY = (
    "Der er ingen pseudonymnøgle, så eksporten kan ikke pseudonymisere de unge. "
    "IT: sæt UNGEHUS_PSEUDONYM_KEY eller pseudonym_key i config.toml til en hemmelig "
    f"tilfældig tekst på mindst {MIN_KEY_LENGTH} tegn (fx `openssl rand -hex 32`), og behold "
    "den samme nøgle fremover, så pseudonymerne kan kobles nat til nat."
)


@dataclass(frozen=True)
class ExportedFile:
    name: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    since: dt.datetime | None
    until: dt.datetime
    files: list[ExportedFile]

    @property
    def rows(self) -> int:
        return sum(f.rows for f in self.files)


FileHook = Callable[[str, int], None]


def pseudonym(key: str, person_id: int) -> str:
    """Stable pseudonym of a young person: HMAC-SHA256(key, "person:<id>"), first 32 hex
    digits. From the row's id, not the CPR: anonymisation replaces the CPR but keeps the id
    (as do backup and restore), so BI links an anonymised row to its intakes."""
    message = PSEUDONYM_INPUT + str(person_id).encode("ascii")
    return hmac.new(key.encode("utf-8"), message, hashlib.sha256).hexdigest()[:32]


def pseudonym_key(ctx: Ctx) -> str:
    key = ctx.settings.pseudonym_key
    if not key or len(key) < MIN_KEY_LENGTH:
        raise ServiceError(NO_KEY)
    return key


def watermark(ctx: Ctx, include_cpr: bool = False) -> dt.datetime | None:
    with ctx.engine.connect() as conn:
        wm = conn.execute(
            ExportWatermark.__table__.select().where(  # type: ignore[attr-defined]
                ExportWatermark.__table__.c.name == (STREAM_CPR if include_cpr else STREAM)  # type: ignore[attr-defined]
            )
        ).first()
    return wm.until if wm else None


def run_export(
    ctx: Ctx,
    actor: Actor,
    out: Path,
    *,
    full: bool = False,
    dialect: Dialect = Dialect.EXCEL_DA,
    include_cpr: bool = False,
    on_file: FileHook | None = None,
    processes: int | None = None,
) -> ExportResult:
    """Export the changed rows (or all with `full`) into a new folder under `out`, the files
    made by `processes` processes at once (None: one per core, see `export_parallel`)."""
    require(actor, Action.EXPORT)
    if include_cpr:
        require(actor, Action.EXPORT_CPR)
    key = pseudonym_key(ctx)
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    stream = STREAM_CPR if include_cpr else STREAM
    with _locked(out):
        _remove_stale(out)
        generated = now()
        since = None if full else watermark(ctx, include_cpr)
        until = generated - dt.timedelta(seconds=ctx.settings.export_lag_seconds)
        if since is not None and until < since:
            until = since
        if include_cpr:  # log the use of CPR before any number leaves the database
            with write_session(ctx.engine) as session:
                audit.record(session, actor, "EXPORT_CPR", purpose="eksport med CPR")
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=out))
        try:
            os.chmod(tmp, 0o700)
            files = _write_files(
                ctx, tmp, key, since, until, dialect, include_cpr, on_file, processes
            )
            manifest = {
                "schema_version": migrate.stored_revision(ctx.engine),
                "generated_at": generated.astimezone(dt.UTC).isoformat(),
                "since": since.astimezone(dt.UTC).isoformat() if since else None,
                "until": until.astimezone(dt.UTC).isoformat(),
                "format": "jsonl" if dialect is Dialect.JSONL else "csv",
                "dialect": str(dialect),
                "full": full,
                "include_cpr": include_cpr,
                "files": [{"name": f.name, "rows": f.rows, "sha256": f.sha256} for f in files],
                "audit_head": _audit_head(ctx),
            }
            with open_private(tmp / "manifest.json") as fh:
                fh.write(json.dumps(manifest, indent=2, ensure_ascii=False).encode() + b"\n")
                _sync(fh)
            _fsync_dir(tmp)
            final = _final_name(out, local(generated))
            os.rename(tmp, final)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        _fsync_dir(out)
        _point_latest(out, final.name)
        with write_session(ctx.engine) as session:
            row = session.get(ExportWatermark, stream)
            if row is None:
                row = ExportWatermark(name=stream, until=until)
            row.until = until
            row.updated_at = now()
            session.add(row)
            detail = json.dumps(
                {"folder": final.name, "rows": sum(f.rows for f in files), "full": full}
            )
            audit.record(session, actor, "EXPORT", purpose="natlig eksport", detail=detail)
    return ExportResult(folder=final, since=since, until=until, files=files)


def _audit_head(ctx: Ctx) -> dict[str, object] | None:
    """The audit chain's head now, an anchor kept outside the database: `ungehus audit verify
    --anchor manifest.json` fails if the log later no longer reaches it."""
    with ctx.engine.connect() as conn:
        head = audit.read_head(conn)
    return head.as_json() if head is not None else None


def _write_files(
    ctx: Ctx,
    folder: Path,
    key: str,
    since: dt.datetime | None,
    until: dt.datetime,
    dialect: Dialect,
    include_cpr: bool,
    on_file: FileHook | None,
    processes: int | None,
) -> list[ExportedFile]:
    """Every entity's file, made by `processes` processes at once (None: one per core,
    `export_parallel`), the heaviest files first; listed in the entities' order."""
    listed = entities()
    todo = sorted(listed, key=_heaviest_first)
    zone = ctx.settings.timezone
    made: dict[str, ExportedFile] = {}

    @contextlib.contextmanager
    def worker(conn: Connection) -> Iterator[Callable[[int], ExportedFile]]:
        to_pseudonym = pseudonymiser(key)
        with (
            plan_for(conn, dialect, key, zone) as plan,
            copy_plan(conn, dialect, zone, key) as copying,
        ):

            def write(i: int) -> ExportedFile:
                entity = todo[i]
                name = entity.name + EXTENSIONS[dialect]
                stmt = entity.query(since, until, include_cpr, dialect)
                person = to_pseudonym if entity.person else None
                with open_private(folder / name) as fh:
                    writer = RowWriter(fh, dialect, entity.header(include_cpr))
                    writer = _write_rows(conn, writer, fh, stmt, plan, copying, person)
                    digest = writer.finish()
                    _sync(fh)
                return ExportedFile(name, writer.rows, digest)

            yield write

    def done(file: ExportedFile) -> None:
        made[file.name] = file
        if on_file is not None:
            on_file(file.name, file.rows)

    share(ctx.engine, len(todo), worker, done, processes=processes)
    return [made[entity.name + EXTENSIONS[dialect]] for entity in listed]


# The files that take longest (most rows, most cells; measured), taken first when several
# processes share the work, so none is left with a large file at the end.
HEAVIEST = ("intakes", "decisions", "assignments", "young_people", "handovers", "consents")


def _heaviest_first(entity: Any) -> int:
    return HEAVIEST.index(entity.name) if entity.name in HEAVIEST else len(HEAVIEST)


def _write_rows(
    conn: Connection,
    writer: RowWriter,
    fh: IO[bytes],
    stmt: Select[Any],
    plan: Plan,
    copying: CopyPlan | None,
    person: Callable[[int], str] | None,
) -> RowWriter:
    """The rows of one file, the fastest exact way: COPY (PostgreSQL), lines the database
    joins (SQLite, CSV), else cell by cell. Returns the writer that wrote them."""
    copied = copy_query(stmt, copying, pseudonym=person is not None) if copying else None
    if copying is not None and copied is not None:
        writer.write_lines(copy_lines(conn, copied, copying, pseudonym=person is not None))
        return writer
    batches = None if writer.dialect is Dialect.JSONL else lines(conn, stmt, plan, pseudonym=person)
    if batches is not None:
        try:
            writer.write_separated(batches, SEPARATOR)
            return writer
        except Ambiguous:  # a cell holds the separator: the file again, cell by cell
            writer.abandon()
            fh.seek(0)
            fh.truncate()
            writer = RowWriter(fh, writer.dialect, writer.columns)
        finally:
            batches.close()
    writer.write_cells(cells(conn, stmt, plan, pseudonym=person, yield_per=YIELD_PER))
    return writer


@contextlib.contextmanager
def _locked(out: Path) -> Iterator[None]:
    fd = os.open(out / ".lock", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Conflict("En anden eksport til samme mappe kører allerede") from None
        yield
    finally:
        os.close(fd)


def _remove_stale(out: Path) -> None:
    for stale in out.glob(".tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)


def _final_name(out: Path, stamp: dt.datetime) -> Path:
    base = stamp.strftime("%Y-%m-%dT%H%M%S")
    candidate, n = out / base, 1
    while candidate.exists():
        n += 1
        candidate = out / f"{base}-{n}"
    return candidate


def _point_latest(out: Path, name: str) -> None:
    tmp_link = out / ".latest.tmp"
    with contextlib.suppress(FileNotFoundError):
        tmp_link.unlink()
    os.symlink(name, tmp_link)
    os.replace(tmp_link, out / "latest")
    _fsync_dir(out)


def _sync(fh: IO[bytes]) -> None:
    fh.flush()
    os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
