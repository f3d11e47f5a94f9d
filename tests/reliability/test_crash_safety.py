"""Crash safety: a desk process killed with SIGKILL at random points loses nothing it reported
as registered, and leaves no half-written registration and no damaged database file."""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess

from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from tests.reliability.helpers import HERE, PYTHON, ROOT, child_env
from ungehus_tui.data.engine import is_sqlite, read_session
from ungehus_tui.data.models import AuditEvent, PersonNameToken, YoungPerson

ROUNDS = 3
PER_ROUND = 400  # more than a round ever gets to before it is killed


def _run_and_kill(url: str, first: int, kill_after: int) -> list[str]:
    """Start the registering loop; SIGKILL it right after `kill_after` reported commits."""
    proc = subprocess.Popen(
        [PYTHON, str(HERE / "register_loop.py"), url, str(first), str(PER_ROUND)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=child_env(),
    )
    done: list[str] = []
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            done.append(line.strip())
            if len(done) >= kill_after:
                proc.send_signal(signal.SIGKILL)  # mid-way through the next transaction
                break
    finally:
        proc.kill()
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, f"the loop ended on its own: {err[-2000:]}"
    return done


def test_sigkill_loses_no_reported_registration(ctx) -> None:
    url = str(ctx.engine.url.render_as_string(hide_password=False))
    ctx.engine.dispose()
    rng = random.Random()
    reported: list[str] = []
    for round_no in range(ROUNDS):
        reported += _run_and_kill(url, round_no * PER_ROUND, rng.randint(1, 30))

    if is_sqlite(url):
        path = make_url(url).database
        with sqlite3.connect(path) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
    with read_session(ctx.engine) as session:
        found = set(
            session.execute(select(YoungPerson.cpr).where(YoungPerson.name.like("Prøve Crash%")))
            .scalars()
            .all()
        )
        missing = set(reported) - found
        assert not missing, f"{len(missing)} reported registrations are missing"
        # Whatever committed committed whole: every person has name tokens and an audit event.
        people = session.execute(
            select(YoungPerson.id).where(YoungPerson.name.like("Prøve Crash%"))
        ).scalars()
        ids = set(people)
        with_tokens = set(
            session.execute(
                select(PersonNameToken.person_id).where(PersonNameToken.person_id.in_(ids))
            ).scalars()
        )
        audited = set(
            session.execute(
                select(AuditEvent.person_id).where(
                    AuditEvent.action == "REGISTER", AuditEvent.person_id.in_(ids)
                )
            ).scalars()
        )
        assert ids == with_tokens == audited
        # At most one registration per killed round was committed but not yet reported.
        assert len(found) - len(reported) <= ROUNDS
        assert session.execute(select(func.count()).select_from(AuditEvent)).scalar() >= len(ids)
