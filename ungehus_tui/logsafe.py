"""A logging filter that masks anything CPR-like (10 digits, with or without a hyphen).

Installed on the root logger's handlers at app and CLI start (`install()`): every record's
message, arguments and formatted traceback pass through `scrub` before any handler writes
them. Names cannot be recognised by pattern: services never put names into messages or
exceptions (ServiceError texts are Danish and carry no personal data; `Cpr` reprs are
masked), and the CLI prints only a ServiceError's message, never a traceback with locals.
"""

from __future__ import annotations

import logging
import re

CPR_LIKE = re.compile(r"(?<!\d)(\d{6})[- ]?(\d{4})(?!\d)")
_REPLACEMENT = r"\1-XXXX"


def scrub(text: str) -> str:
    return CPR_LIKE.sub(_REPLACEMENT, text)


class CprFilter(logging.Filter):
    """Masks CPR-like numbers in the message, its arguments and the exception text."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string: keep the raw text, scrubbed
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = None
        if record.exc_info:
            formatter = logging.Formatter()
            record.exc_text = scrub(formatter.formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


_FILTER = CprFilter()
_installed = False


def install(logger: logging.Logger | None = None) -> CprFilter:
    """Scrub every log record of the process (idempotent).

    The record factory is wrapped, so records from any logger are scrubbed when they are
    made, whatever handlers are added later; the filter also sits on the root logger and
    its handlers (a logger's filter alone misses records from child loggers).
    """
    global _installed
    target = logger or logging.getLogger()
    if _FILTER not in target.filters:
        target.addFilter(_FILTER)
    for handler in target.handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
    if not _installed:
        previous = logging.getLogRecordFactory()

        def factory(*args: object, **kwargs: object) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            _FILTER.filter(record)
            return record

        logging.setLogRecordFactory(factory)
        _installed = True
    return _FILTER
