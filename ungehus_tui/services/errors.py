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
