"""The import contract under hostile files: `ungehus import` ends with exit code 0, 1 (rows
rejected, in the rejects file) or 2 (unusable file) and a clear line, never a traceback;
and a file that is refused as a whole writes nothing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from typer.testing import CliRunner

from tests.reliability.helpers import NASTY
from ungehus_tui.cli import app
from ungehus_tui.data.engine import read_session
from ungehus_tui.data.models import YoungPerson

runner = CliRunner()

CELL = st.one_of(st.sampled_from([n for n in NASTY if len(n) < 10_000]), st.text(max_size=40))
HEADERS = st.lists(
    st.one_of(
        st.sampled_from(["cpr", "name", "navn", "phone", "email", "situation", "guardian_name"]),
        st.text(max_size=10),
    ),
    min_size=0,
    max_size=8,
)


def _csv(header: list[str], rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


@st.composite
def files(draw) -> bytes:  # type: ignore[no-untyped-def]
    kind = draw(st.sampled_from(["csv", "bytes", "jsonl", "empty"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    if kind == "empty":
        return draw(st.sampled_from([b"", b"\xef\xbb\xbf", b"\n\n", b"cpr;name\n"]))
    if kind == "jsonl":
        pieces = ['{"cpr": 1}', "{", "[]", "null", '{"name":"\\u0000"}']
        lines = draw(st.lists(st.sampled_from(pieces), max_size=4))
        return "\n".join(lines).encode()
    header = draw(HEADERS)
    rows = draw(st.lists(st.lists(CELL, max_size=len(header) + 2), max_size=5))
    text = _csv(header, rows, draw(st.sampled_from([";", ",", "\t"])))
    text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
    return (draw(st.sampled_from(["", "\ufeff"])) + text).encode()


def _persons(ctx) -> int:  # type: ignore[no-untyped-def]
    with read_session(ctx.engine) as session:
        return session.execute(select(func.count()).select_from(YoungPerson)).scalar_one()


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=files())
def test_hostile_lists_never_crash_the_import(ctx, tmp_path: Path, content: bytes) -> None:
    url = ctx.engine.url.render_as_string(hide_password=False)
    path = tmp_path / "liste.csv"
    path.write_bytes(content)
    before = _persons(ctx)
    result = runner.invoke(app, ["import", str(path), "--db", url, "--as", "it.admin"])
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert _persons(ctx) == before, "a refused file wrote something"
