"""The young people's pseudonyms on the export's PostgreSQL path, made in this process (the
key never goes to the server) from the young person's id in each COPY line's first cell.

A pseudonym is `export.pseudonym`: HMAC-SHA256 of `person:<id>`, its first 32 hex digits,
here from the two absorbed states of `hmac_states`. The COPY gives the id as the ASCII digits
`str` gives, so the HMAC takes those bytes as they come.

Most young people are named in several files (their row, intakes, decisions, assignments),
so each one's 16 bytes of HMAC are kept for the run in one zeroed table indexed by id (pages
are only used once written): one HMAC per young person instead of one per line. At most
`MAX_KEPT` ids are kept (16 MiB), so memory stays bounded whatever the data; a larger id is
made again each time it is met.
"""

from __future__ import annotations

from binascii import hexlify
from collections.abc import Iterator
from typing import Any

from ungehus_tui.services.dataio.export_rows import hmac_states

DIGEST = 16  # bytes of HMAC in a pseudonym (32 hex digits)
MAX_KEPT = 1 << 20  # ids whose pseudonyms a run keeps: at most 16 MiB
BATCH = 1000  # lines per batch
_UNKNOWN = bytes(DIGEST)  # a slot not made yet (a real HMAC of 16 zero bytes is made again)


class Pseudonyms:
    """One run's pseudonyms, for ids up to `largest_id` kept once made."""

    def __init__(self, key: str, largest_id: int) -> None:
        self._inner, self._outer = hmac_states(key)
        self._kept = min(max(largest_id, -1) + 1, MAX_KEPT)
        self._table = bytearray(DIGEST * self._kept)

    def _made(self, person: bytes) -> bytes:
        mac = self._inner.copy()
        mac.update(person)
        out = self._outer.copy()
        out.update(mac.digest())
        return out.digest()[:DIGEST]

    def lines(self, rows: Iterator[Any], delimiter: bytes) -> Iterator[tuple[bytes, int]]:
        """COPY's rows (each one message ending in LF) as CRLF lines in batches (bytes,
        lines), each row's first cell, a young person's id, made their pseudonym. A NULL id
        (an empty cell) stays empty."""
        table, kept, made = self._table, self._kept, self._made
        batch: list[bytes] = []
        append = batch.append
        for data in rows:
            row = bytes(data)
            end = row.find(delimiter)  # the id holds none; -1 (one column): all but the LF
            person = row[:end]
            if not person:
                append(row[end:-1])
            else:
                n = int(person)
                if 0 <= n < kept:
                    at = n * DIGEST
                    digest: Any = table[at : at + DIGEST]
                    if digest == _UNKNOWN:
                        digest = table[at : at + DIGEST] = made(person)
                else:
                    digest = made(person)
                append(hexlify(digest) + row[end:-1])
            if len(batch) == BATCH:
                yield b"\r\n".join(batch) + b"\r\n", BATCH
                batch.clear()
        if batch:
            yield b"\r\n".join(batch) + b"\r\n", len(batch)
