"""A program in a real pseudo-terminal, as a person at a terminal runs it: keys are written
to the terminal (typed at once from launch, or at a pace), what the program draws is read
back as it comes, with the time each piece arrived.

What is on screen is judged from the bytes the program wrote after it took the terminal
(the switch to the alternate screen): a terminal in line mode echoes keys typed before the
program started, and that echo is not the program's answer.
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import struct
import subprocess
import termios
import threading
import time

ALT_SCREEN = b"\x1b[?1049h"
SGR = rb"\x1b\[[0-9;]*m"


def cursor_on(placeholder: str) -> re.Pattern[bytes]:
    """An empty Input with focus: its cursor drawn on the placeholder's first letter (a style
    of its own), the rest of the placeholder after it; without focus (or with the cursor
    blinked off) the placeholder is drawn in one piece and this does not match."""
    first, rest = placeholder[0].encode(), placeholder[1:].encode()
    return re.compile(SGR + re.escape(first) + rb"\x1b\[0m" + SGR + re.escape(rest))


class PtyApp:
    """`argv` in a pty of `size` (columns, rows); `keys` are typed right after the launch."""

    def __init__(
        self,
        argv: list[str],
        *,
        env: dict[str, str],
        cwd: str,
        keys: str = "",
        size: tuple[int, int] = (120, 36),
    ) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        env = {**env, "TERM": "xterm-256color", "COLUMNS": str(size[0]), "LINES": str(size[1])}
        self.master = master
        self._lock = threading.Lock()
        self._chunks: list[tuple[float, bytes]] = []
        self._text = b""
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        if keys:
            self.type(keys)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            now = time.perf_counter()
            with self._lock:
                self._chunks.append((now, data))
                self._text += data

    def type(self, keys: str) -> float:
        """Write `keys` to the terminal at once; the time they were written."""
        written = time.perf_counter()
        os.write(self.master, keys.encode("utf-8"))
        return written

    @property
    def taken_at(self) -> int:
        """Offset in the output where the program took the terminal (-1: not yet)."""
        with self._lock:
            return self._text.find(ALT_SCREEN)

    def mark(self) -> int:
        """The current end of the output (wait for something drawn after this)."""
        with self._lock:
            return len(self._text)

    def wait_for(
        self, *wanted: str | re.Pattern[bytes], since: int | None = None, timeout: float = 30.0
    ) -> float:
        """The time the output after `since` (default: where the program took the terminal)
        first held every one of `wanted` (texts, or patterns of the raw bytes); TimeoutError
        if it never did."""
        patterns = [
            w if isinstance(w, re.Pattern) else re.compile(re.escape(w.encode("utf-8")))
            for w in wanted
        ]
        deadline = time.perf_counter() + timeout
        while True:
            with self._lock:
                text, chunks = self._text, list(self._chunks)
            start = text.find(ALT_SCREEN) if since is None else since
            found = [p.search(text, start) for p in patterns] if start >= 0 else [None]
            if all(found):
                end = max(m.end() for m in found if m is not None)
                offset = 0
                for stamp, data in chunks:
                    offset += len(data)
                    if offset >= end:
                        return stamp
            if time.perf_counter() > deadline or (
                self.proc.poll() is not None and not self._reader.is_alive()
            ):
                tail = self.screen_text()[-300:]
                raise TimeoutError(
                    f"not on screen within {timeout} s (exit {self.proc.poll()}): {tail!r}"
                )
            time.sleep(0.002)

    def screen_text(self) -> str:
        with self._lock:
            return self._text.decode("utf-8", "replace")

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        os.close(self.master)
        self._reader.join(2)

    def __enter__(self) -> PtyApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
