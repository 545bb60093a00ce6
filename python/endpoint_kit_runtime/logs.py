"""Python-level output (print, logging, tracebacks) as ``log`` frames tagged with the endpoint.

``sys.stdout`` and ``sys.stderr`` are replaced by ``LogStream`` objects. Each thread buffers its own
partial line, so concurrent requests never interleave inside a line, and every complete line goes
to Node with the endpoint that the current thread is serving (``current.endpoint``).
"""

from __future__ import annotations

import io
import threading
from typing import Optional

from .framing import FrameWriter


class _Current(threading.local):
    endpoint: Optional[str] = None


current = _Current()


class LogStream(io.TextIOBase):
    def __init__(self, writer: FrameWriter, stream: str, fd: int) -> None:
        super().__init__()
        self._writer = writer
        self._stream = stream
        self._fd = fd
        self._local = threading.local()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    @property
    def errors(self) -> str:  # type: ignore[override]
        return "replace"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        # Code that writes to the descriptor itself bypasses tagging but still reaches the terminal.
        return self._fd

    def write(self, text: str) -> int:  # type: ignore[override]
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not " + type(text).__name__)
        pending = getattr(self._local, "pending", "") + text
        cut = pending.rfind("\n")
        if cut >= 0:
            self._send(pending[:cut])
            pending = pending[cut + 1 :]
        self._local.pending = pending
        return len(text)

    def flush(self) -> None:
        pending = getattr(self._local, "pending", "")
        if pending:
            self._local.pending = ""
            self._send(pending)

    def _send(self, text: str) -> None:
        self._writer.write({"t": "log", "endpoint": current.endpoint, "stream": self._stream, "text": text})
