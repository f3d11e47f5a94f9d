"""The file dialects shared by the export and the list import.

- `excel-da`: what Danish Excel opens by double-click: UTF-8 with BOM, `;` separator, CRLF,
  decimal comma, dates `dd-mm-yyyy`, datetimes `dd-mm-yyyy HH:MM` in local time, and text
  cells starting with `= + - @` (or tab / CR) prefixed with `'` against formula injection.
- `rfc4180`: UTF-8 without BOM, `,` separator, CRLF, ISO 8601 dates and UTC datetimes.
- `jsonl`: one JSON object per line, ISO 8601 dates and UTC datetimes, true/false, null.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import decimal
import hashlib
import io
import itertools
import json
import operator
import os
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import IO, Any

from ungehus_tui.domain.clock import local


class Dialect(StrEnum):
    EXCEL_DA = "excel-da"
    RFC4180 = "rfc4180"
    JSONL = "jsonl"


EXTENSIONS = {Dialect.EXCEL_DA: ".csv", Dialect.RFC4180: ".csv", Dialect.JSONL: ".jsonl"}
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Prefix `'` to a cell Excel would read as a formula (OWASP 'CSV injection')."""
    return "'" + text if text.startswith(DANGEROUS) else text


def cell(value: Any, dialect: Dialect) -> Any:
    """One value as the dialect writes it (a str for CSV, a JSON value for jsonl)."""
    if dialect is Dialect.JSONL:
        if isinstance(value, dt.datetime):
            return value.astimezone(dt.UTC).isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, decimal.Decimal):
            return float(value)
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, dt.datetime):
        if dialect is Dialect.EXCEL_DA:
            return local(value).strftime("%d-%m-%Y %H:%M")
        return value.astimezone(dt.UTC).isoformat()
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y") if dialect is Dialect.EXCEL_DA else value.isoformat()
    if isinstance(value, float | decimal.Decimal):
        text = str(value)
        return text.replace(".", ",") if dialect is Dialect.EXCEL_DA else text
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return neutralise(text) if dialect is Dialect.EXCEL_DA else text


class HashingWriter(io.RawIOBase):
    """A binary sink that hashes (sha256) and counts what goes through to `target`."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target: IO[bytes] | None = target
        self.sha = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        if self.target is not None:  # None: abandoned (what its buffers still hold is lost)
            self.sha.update(chunk)
            self.target.write(chunk)
        return len(chunk)


class Ambiguous(Exception):
    """A cell holds the separator of `RowWriter.write_separated`: its rows cannot be split."""


class RowWriter:
    """Writes a header and rows in a dialect to an open binary file; hashes as it goes."""

    def __init__(self, target: IO[bytes], dialect: Dialect, columns: Sequence[str]) -> None:
        self.dialect = dialect
        self.columns = list(columns)
        self.sink = HashingWriter(target)
        buffered = io.BufferedWriter(self.sink, buffer_size=1 << 16)
        if dialect is Dialect.EXCEL_DA:
            buffered.write(codecs.BOM_UTF8)  # the BOM once; plain UTF-8 after (fast C codec)
        self.text = io.TextIOWrapper(
            buffered,
            encoding="utf-8",
            newline="",
            write_through=False,
        )
        self.rows = 0
        self._csv: Any = None
        if dialect is not Dialect.JSONL:
            delimiter = ";" if dialect is Dialect.EXCEL_DA else ","
            self._csv = csv.writer(self.text, delimiter=delimiter, lineterminator="\r\n")
            self._csv.writerow([cell(c, dialect) for c in self.columns])

    def write(self, values: Sequence[Any]) -> None:
        if self._csv is not None:
            self._csv.writerow([cell(v, self.dialect) for v in values])
        else:
            obj = {c: cell(v, self.dialect) for c, v in zip(self.columns, values, strict=True)}
            self.text.write(json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
        self.rows += 1

    def write_all(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            self.write(row)

    def write_cells(self, rows: Iterable[Sequence[Any]]) -> None:
        """Rows whose values are already cells of this dialect (`export_rows.cells`)."""
        n = 0
        if self._csv is not None:
            # writerows runs in C; zip with a counter counts the rows without a Python loop
            # (zip reads the row first, so the counter stops at the number of rows)
            counter = itertools.count()
            self._csv.writerows(map(operator.itemgetter(0), zip(rows, counter, strict=False)))
            n = next(counter)
        else:
            columns, dumps, write = self.columns, json.dumps, self.text.write
            for row in rows:
                obj = dict(zip(columns, row, strict=True))
                write(dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n")
                n += 1
        self.rows += n

    def write_lines(self, batches: Iterable[tuple[bytes, int]]) -> None:
        """Lines already encoded in this dialect (`export_copy`: UTF-8, CRLF), as
        (bytes, number of lines) batches, after the header."""
        self.text.flush()
        buffered = self.text.buffer
        for data, lines in batches:
            buffered.write(data)
            self.rows += lines

    def write_separated(self, batches: Iterable[Sequence[str]], separator: str) -> None:
        """Rows each given as one text, its cells joined by `separator` (`export_rows.lines`),
        in batches. A batch in which no cell holds the delimiter, a quote or a line break is
        written as it is, the separator made the delimiter: what the csv writer would write;
        any other batch goes through the csv writer cell by cell. A cell that holds the
        separator itself raises `Ambiguous` before its batch is written (then `abandon`)."""
        assert self._csv is not None, "CSV dialects only"
        delimiter = self._csv.dialect.delimiter
        separators = len(self.columns) - 1
        self.text.flush()
        buffered = self.text.buffer
        for batch in batches:
            n = len(batch)
            data = "\r\n".join(batch)
            if data.count(separator) != n * separators:
                raise Ambiguous(f"a cell holds {separator!r}")
            plain = separators and delimiter not in data and '"' not in data
            if plain and data.count("\r") == n - 1 and data.count("\n") == n - 1:
                buffered.write((data.replace(separator, delimiter) + "\r\n").encode())
            else:  # a cell to quote (or a row of one empty cell, which the writer quotes)
                self._csv.writerows([line.split(separator) for line in batch])
                self.text.flush()
            self.rows += n

    def abandon(self) -> None:
        """Drop this writer: nothing more reaches the target, not even what is buffered (the
        caller starts the file again)."""
        self.sink.target = None

    def finish(self) -> str:
        """Flush everything to the target; the sha256 hex of the bytes written."""
        self.text.flush()
        self.text.detach().flush()
        return self.sink.sha.hexdigest()


def open_private(path: str | os.PathLike[str]) -> IO[bytes]:
    """A new file only the owner can read (0600), whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


class UnusableFile(Exception):
    """The file cannot be read as a list at all (message is English, for the CLI)."""


def detect_dialect(head: bytes) -> Dialect:
    """Guess the dialect from the first bytes: `{` is jsonl; otherwise the header line's
    separator: more `;` than `,` is excel-da, more `,` rfc4180 (Excel's "CSV UTF-8" outside
    Denmark: a BOM and commas); a tie (one column) is excel-da with a BOM, else rfc4180."""
    bom = head.startswith(codecs.BOM_UTF8)
    stripped = head.removeprefix(codecs.BOM_UTF8).lstrip()
    if stripped.startswith(b"{"):
        return Dialect.JSONL
    first = stripped.split(b"\n", 1)[0]
    semicolons, commas = first.count(b";"), first.count(b",")
    if semicolons > commas or (semicolons == commas and bom):
        return Dialect.EXCEL_DA
    return Dialect.RFC4180


class Row(dict[str, str]):
    """One list row, column -> text; `extra` counts non-empty fields beyond the header (a
    CSV row longer than its header line, e.g. an unquoted `;` in a name: its values have no
    column and may be shifted, so the row cannot be trusted). Empty trailing fields (a
    separator at the end of a line) carry nothing and do not count."""

    extra: int = 0


def _no_duplicates(header: list[str]) -> None:
    seen: set[str] = set()
    twice: list[str] = []
    for name in header:
        key = name.strip().lower()
        if not key:  # unnamed (empty) columns carry nothing anyone reads
            continue
        if key in seen and name not in twice:
            twice.append(name)
        seen.add(key)
    if twice:
        names = ", ".join(repr(n[:40]) for n in twice[:5])
        raise UnusableFile(f"duplicate column name(s) in the header: {names}")


def read_rows(raw: bytes, dialect: Dialect | None) -> tuple[Dialect, list[str], list[Row]]:
    """Parse a whole list file; (dialect, header, rows as column -> text). A header naming a
    column twice (case and spaces aside) makes the file unusable: which one is meant?"""
    if b"\x00" in raw[:4096]:
        raise UnusableFile("not a text file (binary content)")
    chosen = dialect or detect_dialect(raw[:4096])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnusableFile("not UTF-8 text: save the list as 'CSV UTF-8'") from None
    if chosen is Dialect.JSONL:
        header, rows = _jsonl_rows(text)
    else:
        header, rows = _csv_rows(text, ";" if chosen is Dialect.EXCEL_DA else ",")
    return chosen, header, rows


def _jsonl_rows(text: str) -> tuple[list[str], list[Row]]:
    """One JSON object a line (blank lines skipped); the header is every key in first-seen
    order."""
    rows: list[Row] = []
    header: list[str] = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        pairs = _json_object(line, n)
        _no_duplicates([k for k, _ in pairs])
        for key, _ in pairs:
            if key not in header:
                header.append(key)
        rows.append(Row((k, "" if v is None else str(v)) for k, v in pairs))
    _no_duplicates(header)
    return header, rows


def _json_object(line: str, n: int) -> list[tuple[str, Any]]:
    """Line `n` as the (key, value) pairs of one JSON object, in the file's order."""
    try:
        pairs = json.loads(line, object_pairs_hook=list)
    except json.JSONDecodeError:
        raise UnusableFile(f"line {n} is not JSON") from None
    if not isinstance(pairs, list) or not line.lstrip().startswith("{"):
        raise UnusableFile(f"line {n} is not a JSON object")
    return pairs


def _csv_rows(text: str, delimiter: str) -> tuple[list[str], list[Row]]:
    """A CSV table (blank rows skipped): the first row is the header; a row's non-empty cells
    beyond the header are counted in `extra`."""
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        table = [r for r in reader if any(c.strip() for c in r)]
    except csv.Error as exc:
        raise UnusableFile(f"not a readable CSV file: {exc}") from None
    if not table:
        raise UnusableFile("the file is empty")
    header = [h.strip() for h in table[0]]
    _no_duplicates(header)
    out = []
    for r in table[1:]:
        row = Row((h, r[i] if i < len(r) else "") for i, h in enumerate(header))
        row.extra = sum(1 for c in r[len(header) :] if c.strip())
        out.append(row)
    return header, out
