from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ungehus_tui.cli import app
from ungehus_tui.services.access import auth

PW = "sikker-kode-2026"


def _run(args: list[str], stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, args, input=stdin)


def test_first_admin_then_staff_management(ctx, db_url) -> None:  # type: ignore[no-untyped-def]
    r = _run(["init", "--db", db_url])
    assert "staff reset-password it.admin" in r.output
    # bootstrap: no --as while no administrator has a password
    r = _run(["staff", "reset-password", "it.admin", "--password-stdin", "--db", db_url], PW + "\n")
    assert r.exit_code == 0, r.output
    assert auth.sign_in(ctx, "it.admin", PW).role == "ADMIN"
    # now --as is required
    r = _run(["staff", "reset-password", "rec.1", "--password-stdin", "--db", db_url], PW + "\n")
    assert r.exit_code == 1
    r = _run(
        [
            "staff",
            "add",
            "cai.vejl.9",
            "--name",
            "Vejleder Prøvesen",
            "--role",
            "counsellor",
            "--center",
            "CAI",
            "--contact-role",
            "UDDANNELSESVEJLEDER",
            "--password-stdin",
            "--db",
            db_url,
            "--as",
            "it.admin",
        ],
        PW + "\n",
    )
    assert r.exit_code == 0, r.output
    assert auth.sign_in(ctx, "cai.vejl.9", PW).center_code == "CAI"
    r = _run(["staff", "disable", "cai.vejl.9", "--db", db_url, "--as", "it.admin"])
    assert r.exit_code == 0, r.output
    with pytest.raises(auth.SignInFailed):
        auth.sign_in(ctx, "cai.vejl.9", PW)
    # interactive prompt with confirmation (no echo)
    r = _run(
        ["staff", "reset-password", "rec.1", "--db", db_url, "--as", "it.admin"], f"{PW}\n{PW}\n"
    )
    assert r.exit_code == 0, r.output
    assert PW not in r.output
    assert auth.sign_in(ctx, "rec.1", PW).login == "rec.1"


def test_staff_commands_need_an_admin(ctx, db_url) -> None:  # type: ignore[no-untyped-def]
    r = _run(["staff", "disable", "rec.2", "--db", db_url, "--as", "cbu.leder"])
    assert r.exit_code == 1 and "administrere medarbejdere" in r.output
    r = _run(
        [
            "staff",
            "add",
            "x.y",
            "--name",
            "Test",
            "--role",
            "ADMIN",
            "--db",
            db_url,
            "--as",
            "rec.1",
        ]
    )
    assert r.exit_code == 1


def test_weak_password_refused(ctx, db_url) -> None:  # type: ignore[no-untyped-def]
    r = _run(["staff", "reset-password", "it.admin", "--password-stdin", "--db", db_url], "kort\n")
    assert r.exit_code == 1 and "mindst 10 tegn" in r.output


def test_a_disabled_login_from_the_org_file_stays_disabled_after_init(  # type: ignore[no-untyped-def]
    ctx, db_url
) -> None:
    assert _run(["init", "--db", db_url]).exit_code == 0
    r = _run(["staff", "reset-password", "it.admin", "--password-stdin", "--db", db_url], PW + "\n")
    assert r.exit_code == 0, r.output
    r = _run(
        [
            "staff",
            "reset-password",
            "rec.2",
            "--password-stdin",
            "--db",
            db_url,
            "--as",
            "it.admin",
        ],
        PW + "\n",
    )
    assert r.exit_code == 0, r.output
    assert _run(["staff", "disable", "rec.2", "--db", db_url, "--as", "it.admin"]).exit_code == 0
    # rec.2 is listed (active) in the organisation file; a later init must not re-enable it
    assert _run(["init", "--db", db_url]).exit_code == 0
    with pytest.raises(auth.SignInFailed):
        auth.sign_in(ctx, "rec.2", PW)
    listed = _run(["staff", "list", "--json", "--db", db_url])
    assert '"rec.2"' in listed.output
