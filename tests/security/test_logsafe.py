from __future__ import annotations

import logging

import pytest
from typer.testing import CliRunner

from ungehus_tui import logsafe
from ungehus_tui.cli import app

CPR = "0101054321"


def test_scrub_masks_with_and_without_hyphen() -> None:
    assert logsafe.scrub(f"cpr {CPR} og 010105-4321.") == "cpr 010105-XXXX og 010105-XXXX."
    assert logsafe.scrub("tlf 12345678, id 123456789012") == "tlf 12345678, id 123456789012"


def test_log_records_and_tracebacks_are_scrubbed(caplog: pytest.LogCaptureFixture) -> None:
    logsafe.install()
    log = logging.getLogger("ungehus_tui.test")
    with caplog.at_level(logging.INFO):
        log.info("slog op %s", CPR)
        try:
            raise ValueError(f"ingen ung med {CPR[:6]}-{CPR[6:]}")
        except ValueError:
            log.exception("fejl for %s", "010105-4321")
    text = caplog.text + "".join(r.getMessage() for r in caplog.records)
    assert "4321" not in text
    assert "010105-XXXX" in text
    assert "ValueError" in text


def test_cli_error_output_has_no_cpr_or_name(ctx, db_url) -> None:  # type: ignore[no-untyped-def]
    # a ServiceError from a command: an unknown young person, looked up by full CPR
    result = CliRunner().invoke(
        app, ["audit", "show", "--person", CPR, "--db", db_url, "--as", "it.admin"]
    )
    assert result.exit_code == 1
    assert "4321" not in result.output
    # an unknown login with a name in it is echoed scrubbed of digits only; no CPR
    result = CliRunner().invoke(
        app, ["backup", "--out", f"/nonexistent/{CPR}.db", "--db", db_url, "--as", "it.admin"]
    )
    assert result.exit_code == 1
    assert "4321" not in result.output


def test_fail_scrubs_messages(capsys: pytest.CaptureFixture[str]) -> None:
    import typer

    from ungehus_tui.cli.common import fail

    with pytest.raises(typer.Exit):
        fail(f"noget gik galt med {CPR}")
    assert "4321" not in capsys.readouterr().err
