"""`ungehus serve` from the command line: bad input is one line and a non-zero exit (no
traceback), loopback unless --public, and --public says TLS belongs in front."""

from __future__ import annotations

import socket

from tests.serve.conftest import free_port, start_serve, ungehus


def one_line_error(result, code: int) -> str:  # type: ignore[no-untyped-def]
    assert result.returncode == code, result
    assert "Traceback" not in result.stderr + result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def test_missing_database_is_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "nowhere" / "ungehus.db"
    line = one_line_error(ungehus("serve", "--db", str(missing)), 1)
    assert "No database" in line
    assert not missing.parent.exists()  # nothing was created


def test_bad_host_and_port_are_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = str(tmp_path / "x.db")
    assert "not an address" in one_line_error(
        ungehus("serve", "--db", db, "--host", "no-such-host.invalid"), 2
    )
    for port in ("70000", "0", "http"):
        assert "not a port" in one_line_error(ungehus("serve", "--db", db, "--port", port), 2)
    assert "at least 1" in one_line_error(ungehus("serve", "--db", db, "--max-sessions", "0"), 2)


def test_other_machines_only_with_public(tmp_path) -> None:  # type: ignore[no-untyped-def]
    line = one_line_error(ungehus("serve", "--db", str(tmp_path / "x.db"), "--host", "0.0.0.0"), 2)
    assert "--public" in line and "TLS" in line


def test_port_in_use_is_one_line(ctx, actor_for) -> None:  # type: ignore[no-untyped-def]
    from tests.serve.conftest import give_passwords

    give_passwords(ctx, actor_for)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = ungehus("serve", "--db", str(ctx.engine.url), "--port", str(port))
    assert "already in use" in one_line_error(result, 1)


def test_a_database_without_passwords_is_refused(ctx) -> None:  # type: ignore[no-untyped-def]
    line = one_line_error(ungehus("serve", "--db", str(ctx.engine.url)), 1)
    assert "reset-password" in line


def test_public_says_tls_in_front(ctx, actor_for) -> None:  # type: ignore[no-untyped-def]
    from tests.serve.conftest import give_passwords

    give_passwords(ctx, actor_for)
    served = start_serve(str(ctx.engine.url), "--host", "0.0.0.0", "--public")
    try:
        public = [line for line in served.lines if line.startswith("Public:")]
        assert len(public) == 1 and "TLS" in public[0]
    finally:
        output = served.stop()
    assert served.process.returncode == 0, output
    assert "Traceback" not in output


def test_serve_session_is_not_for_a_terminal() -> None:
    line = one_line_error(ungehus("serve-session"), 2)
    assert "ungehus serve" in line


def test_free_port_helper_gives_a_bindable_port() -> None:
    port = free_port()
    with socket.socket() as s:
        s.bind(("127.0.0.1", port))
