"""Settings: a TOML file at the platformdirs config path, overridden by UNGEHUS_ variables.

Nothing is read at import time: call `load_settings()`.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

APP_NAME = "ungehus"


def default_config_file() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def default_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME))


class Settings(BaseSettings):
    """All knobs of the app; every field can be set as UNGEHUS_<NAME> or in config.toml."""

    model_config = SettingsConfigDict(env_prefix="UNGEHUS_", extra="ignore")

    db: str | None = Field(
        default=None, description="Database path or SQLAlchemy URL; default: SQLite in data_dir"
    )
    data_dir: Path = Field(default_factory=default_data_dir)
    org_file: Path | None = Field(
        default=None, description="Organisation TOML; default: the shipped Slagelse file"
    )
    ics_dir: Path | None = Field(default=None, description="Where .ics invitations are written")
    timezone: str = "Europe/Copenhagen"
    first_conversation_minutes: int = 45
    team_meeting_minutes: int = 60
    first_contact_working_days: int = 5
    handover_stale_working_days: int = 5
    outreach_due_working_days: int = 5
    booking_horizon_days: int = 60
    idle_lock_minutes: int = 5
    login_max_failures: int = 5
    login_lock_minutes: int = 15
    retention_months: int = Field(
        default=36,
        ge=6,
        description="Young people without activity this long are anonymised (>= 6)",
    )
    audit_retention_months: int = Field(
        default=24,
        ge=6,
        description="Audit events older than this are pruned by `retention --apply` (>= 6)",
    )
    audit_key: str | None = Field(
        default=None,
        min_length=16,
        description="Secret key for the audit chain (HMAC-SHA256), kept outside the database; "
        "once set, keep it: the log cannot be written or verified without it",
    )
    pseudonym_key: str | None = Field(
        default=None, description="Key for the export pseudonym (HMAC); kept secret"
    )
    busy_timeout_ms: int = 15000
    cli_login: str | None = Field(
        default=None, description="Staff login the CLI acts as when --as is not given"
    )
    booking_grid_minutes: int = Field(
        default=30, ge=5, le=120, description="Meetings start on this grid from opening time"
    )
    house_name: str = Field(
        default="Ungehuset", description="The house's name: organizer of .ics invitations"
    )
    house_email: str = Field(
        default="ungehuset@eksempel.dk", description="Organizer address in .ics invitations"
    )
    export_lag_seconds: int = Field(
        default=120,
        ge=0,
        description="The export window ends this long before now, so transactions still "
        "open when the export starts are committed and caught by the next night",
    )
    first_contact_adult_working_days: int = Field(
        default=10,
        description="Deadline (working days after assignment) for first contact with 18-29s; "
        "15-17s use first_contact_working_days (the education duty's 5 working days)",
    )
    first_contact_window_days: int = Field(
        default=90,
        description="The queue lists young people awaiting first contact when assigned within "
        "this many days (0: no limit)",
    )
    contact_person_end_working_days: int = Field(
        default=10,
        description="Working days a contact person gets to round off when the young person "
        "is anchored in education or a steady job",
    )
    privacy_mode: bool = Field(
        default=False,
        description="Start with the desk's waiting list in privacy mode (initials only)",
    )
    keymap: dict[str, str] = Field(
        default_factory=dict,
        description="Keys people change: binding id -> key(s), e.g. reception.new = 'f8' "
        "(the [keymap] table of config.toml; ids in the README)",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=config_file())
        return (init_settings, env_settings, toml)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo

        try:
            ZoneInfo(value)
        except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
            raise ValueError("unknown time zone") from None
        return value

    @property
    def ics_folder(self) -> Path:
        return self.ics_dir or self.data_dir / "invitations"


class SettingsError(ValueError):
    """The configuration is unusable: one line naming the setting or the file, never its
    value (it may be a secret such as `pseudonym_key`)."""


def config_file() -> Path:
    return Path(os.environ.get("UNGEHUS_CONFIG") or default_config_file())


def load_settings(**overrides: object) -> Settings:
    """Build settings now (file + environment), with explicit overrides on top.

    A malformed config file or a bad value raises SettingsError with one clear line."""
    import tomllib

    from pydantic import ValidationError

    clean = {k: v for k, v in overrides.items() if v is not None}
    path = config_file()
    try:
        return Settings(**clean)  # type: ignore[arg-type]
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"Config file {path}: invalid TOML ({exc})") from None
    except UnicodeDecodeError:
        raise SettingsError(f"Config file {path}: not UTF-8 text") from None
    except OSError as exc:
        raise SettingsError(f"Config file {path}: cannot read ({exc.strerror})") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "?"
        where = f"UNGEHUS_{field.upper()}" if f"UNGEHUS_{field.upper()}" in os.environ else path
        raise SettingsError(f"Setting {field} ({where}): {err['msg']}") from None
