"""Errors a service raises: a Danish message for the user, never personal data in it."""

from __future__ import annotations


class ServiceError(Exception):
    """Bad input or a broken rule; nothing was written. `message` is Danish."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ValidationFailed(ServiceError):
    """One or more fields are invalid; `errors` maps field -> Danish message."""

    def __init__(self, errors: dict[str, str]) -> None:
        first_field, first = next(iter(errors.items()))
        super().__init__(first, field=first_field)
        self.errors = errors


class NotFound(ServiceError):
    pass


class PermissionDenied(ServiceError):
    pass


class Conflict(ServiceError):
    """Someone else got there first (a slot taken, a handover already answered)."""


def require_plain(field: str, label: str, value: object, *, multiline: bool = False) -> None:
    """Refuse (ValidationFailed, nothing written) a text holding a control, bidi or invisible
    format character (`domain.text`): 'Navn indeholder et kontroltegn (U+001B), ...'."""
    from ungehus_tui.domain.text import control_message

    message = control_message(value, label, multiline=multiline)
    if message is not None:
        raise ValidationFailed({field: message})
