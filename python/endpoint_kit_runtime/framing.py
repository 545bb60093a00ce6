"""Frames between the Node dev server and this worker.

The worker talks to Node over two pipes that nothing else writes to: fd 3 carries frames from
Node, fd 4 carries frames to Node. stdout and stderr stay free for whatever user code (or a C
extension, or a subprocess) prints; Python-level prints are turned into ``log`` frames.

Every frame is::

    u32 big-endian  length of the JSON header (UTF-8)
    u32 big-endian  length of the raw body (0 when the frame has none)
    header          a JSON object with a "t" (type) field
    body            raw bytes (a request body, a response chunk)

Node -> worker:
    {"t": "load", "root": str, "sources": [{"source": str, "endpoints": [str]}]}
    {"t": "invoke", "id": int, "endpoint": str, "source": str, "method": str, "url": str,
     "headers": [[name, value]], "values": {name: {"type": str, "text": str}},
     "settings": {...}}                                      body: the request body
    {"t": "ack", "id": int, "n": int}    Node consumed n body bytes of call id (flow control)
    {"t": "cancel", "id": int}           the client went away: stop streaming, close the body

Worker -> Node:
    {"t": "ready", "python": str, "implementation": str, "executable": str, "werkzeug": str,
     "sdk": "real" | "stub", "sdkVersion": str, "sdkError": str}   what the worker runs on
    {"t": "fatal", "message": str}       the worker cannot run (werkzeug missing); it exits next
    {"t": "loaded", "results": [{"source", "ok", "inputs", "error"?: {"message", "file"?,
                                 "line"?, "column"?, "stack"?}}]}
    {"t": "head", "id", "status": int, "headers": [[name, value]]}
    {"t": "chunk", "id"}                                     body: one chunk of the response
    {"t": "end", "id"}                   the call is over (also sent after a cancel)
    {"t": "error", "id", "kind": "value-error" | "exception", "message", "detail"}
                                         the call failed before a head; it is over
    {"t": "log", "endpoint": str | null, "stream": "stdout" | "stderr", "text": str}
"""

from __future__ import annotations

import json
import os
import struct
import threading
from typing import Any, BinaryIO, Dict, Optional, Tuple

_PREFIX = struct.Struct(">II")


class FrameReader:
    """Reads frames from a binary stream; ``read()`` returns None at end of stream."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def read(self) -> Optional[Tuple[Dict[str, Any], bytes]]:
        prefix = self._stream.read(_PREFIX.size)
        if len(prefix) < _PREFIX.size:
            return None
        header_len, body_len = _PREFIX.unpack(prefix)
        header_bytes = self._stream.read(header_len)
        body = self._stream.read(body_len) if body_len else b""
        if len(header_bytes) < header_len or len(body) < body_len:
            return None
        return json.loads(header_bytes.decode("utf-8")), body


class FrameWriter:
    """Writes whole frames to a file descriptor; safe to call from any thread."""

    def __init__(self, fd: int) -> None:
        self._fd = fd
        self._lock = threading.Lock()
        self.broken = False

    def write(self, header: Dict[str, Any], body: bytes = b"") -> None:
        header_bytes = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        data = memoryview(_PREFIX.pack(len(header_bytes), len(body)) + header_bytes + body)
        with self._lock:
            if self.broken:
                return
            try:
                while data:
                    written = os.write(self._fd, data)
                    data = data[written:]
            except OSError:
                # Node is gone: nothing more can be said; the reader sees EOF and exits.
                self.broken = True
