"""Frames between the Node dev server and this worker.

The worker talks to Node over two pipes that nothing else writes to: fd 3 carries frames from
Node, fd 4 carries frames to Node. A third, fd 5, is out of band: when this worker was blocked (a
call holding the GIL), Node writes there, as a u32, the last call id it left here; calls above it
were moved to another worker and are skipped if this one ever reads them (never run twice). stdout and stderr stay free for whatever user code (or a C
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
    {"t": "ping"}                        heartbeat while calls are in flight; answered by "pong"

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
    {"t": "pong"}                        the main loop is alive (no call holds the GIL)
"""

from __future__ import annotations

import json
import os
import signal
import struct
import sys
import threading
from typing import Any, BinaryIO, Dict, Optional, Tuple

_PREFIX = struct.Struct(">II")


class FrameReader:
    """Reads frames from a binary stream; ``read()`` returns None at end of stream. Invoke frames
    of calls that Node moved to another worker (see ``control_fd``) are skipped."""

    def __init__(self, stream: BinaryIO, control_fd: Optional[int] = None) -> None:
        self._stream = stream
        _die_with_parent()
        self._control_fd = control_fd
        self._reclaimed_above: Optional[int] = None
        self._control = b""
        if control_fd is not None:
            try:
                os.set_blocking(control_fd, False)
            except OSError:
                self._control_fd = None

    def read(self) -> Optional[Tuple[Dict[str, Any], bytes]]:
        while True:
            frame = self._read_frame()
            if frame is None:
                _end_process_group()
            if frame is None or frame[0].get("t") != "invoke" or not self._reclaimed(frame[0].get("id")):
                return frame

    def _reclaimed(self, call_id: Any) -> bool:
        if self._control_fd is not None:
            try:
                self._control += os.read(self._control_fd, 64)
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                self._control_fd = None
            while len(self._control) >= 4:
                self._reclaimed_above = struct.unpack(">I", self._control[:4])[0]
                self._control = self._control[4:]
        return self._reclaimed_above is not None and isinstance(call_id, int) and call_id > self._reclaimed_above

    def _read_frame(self) -> Optional[Tuple[Dict[str, Any], bytes]]:
        prefix = self._stream.read(_PREFIX.size)
        if len(prefix) < _PREFIX.size:
            return None
        header_len, body_len = _PREFIX.unpack(prefix)
        header_bytes = self._stream.read(header_len)
        body = self._stream.read(body_len) if body_len else b""
        if len(header_bytes) < header_len or len(body) < body_len:
            return None
        return json.loads(header_bytes.decode("utf-8")), body


def _die_with_parent() -> None:
    """On Linux, the kernel sends SIGTERM to this worker when the dev server dies, even by
    ``kill -9``: the handler ends the worker's process group, so what handlers spawned ends too.
    (A call holding the GIL delays the handler until it lets go; end of stream is the other path.)"""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        signal.signal(signal.SIGTERM, lambda *_: (_end_process_group(), os._exit(0)))
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError, ValueError):
        pass


def _end_process_group() -> None:
    """Node is gone (end of stream): end this worker and what its handlers started. The worker leads
    its own process group (Node spawns it detached), so processes a handler spawned are in it too."""
    try:
        if os.getpgrp() == os.getpid():
            os.killpg(os.getpgrp(), signal.SIGKILL)
    except (OSError, AttributeError):
        pass


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
