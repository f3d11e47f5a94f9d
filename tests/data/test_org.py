"""The organisation file: shipped default is valid; broken files name file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from ungehus_tui.data.org import OrgFileError, default_org_path, read_org


def test_shipped_slagelse_file_has_every_role_in_every_center() -> None:
    org = read_org()
    for center in org.centers:
        for role in center.roles:
            assert any(s.center == center.code and s.contact_role == role for s in org.staff), (
                center.code,
                role,
            )
    assert {s.role for s in org.staff} >= {"RECEPTION", "COUNSELLOR", "LEADER", "ADMIN"}


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    text = default_org_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "org.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_bad_field_names_file_line_and_field(tmp_path: Path) -> None:
    path = _broken(tmp_path, "seats = 8", 'seats = "many"')
    with pytest.raises(OrgFileError) as err:
        read_org(path)
    msg = str(err.value)
    line = next(
        i + 1 for i, ln in enumerate(path.read_text().splitlines()) if 'seats = "many"' in ln
    )
    assert f"{path}:{line}" in msg and "rooms.3.seats" in msg


def test_unknown_center_on_staff_is_named(tmp_path: Path) -> None:
    path = _broken(tmp_path, 'center = "CHP"', 'center = "XYZ"')
    with pytest.raises(OrgFileError, match=r"staff\.\d+\.center"):
        read_org(path)


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = _broken(tmp_path, "[office_hours]", "[office_hours")
    with pytest.raises(OrgFileError, match=rf"{path}: invalid TOML: .*line \d+"):
        read_org(path)
