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

# The longest line sent to the terminal; the rest is counted, not kept (the server caps lines too).
MAX_LINE = 64 * 1024


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
        # Only the new text is searched and at most MAX_LINE characters of a line are kept, so many
        # small writes cost linear time and a 100 MB line costs no more memory than a long one.
        start = 0
        cut = text.find("\n")
        while cut >= 0:
            self._add(text[start:cut])
            self._take()
            start = cut + 1
            cut = text.find("\n", start)
        if start < len(text):
            self._add(text[start:] if start else text)
        return len(text)

    def flush(self) -> None:
        if getattr(self._local, "kept", 0) or getattr(self._local, "dropped", 0):
            self._take()

    def _add(self, piece: str) -> None:
        local = self._local
        parts = getattr(local, "parts", None)
        if parts is None:
            parts = local.parts = []
            local.kept = local.dropped = 0
        room = MAX_LINE - local.kept
        if len(piece) <= room:
            if piece:
                parts.append(piece)
            local.kept += len(piece)
            return
        if room > 0:
            parts.append(piece[:room])
            local.kept += room
        local.dropped += len(piece) - max(room, 0)

    def _take(self) -> None:
        local = self._local
        parts = getattr(local, "parts", None) or []
        dropped = getattr(local, "dropped", 0)
        line = "".join(parts) + (" … [" + str(dropped) + " more characters not shown]" if dropped else "")
        local.parts = []
        local.kept = local.dropped = 0
        self._send(line)

    def _send(self, text: str) -> None:
        self._writer.write({"t": "log", "endpoint": current.endpoint, "stream": self._stream, "text": text})
