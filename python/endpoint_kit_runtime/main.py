"""The worker's main loop: reads frames from Node, loads the plugin once, runs calls on threads."""

from __future__ import annotations

import os
import signal
import sys
import threading
import traceback
from typing import Any, Dict, List

from .framing import FrameReader, FrameWriter
from .logs import LogStream, current

FROM_NODE_FD = 3
TO_NODE_FD = 4
CONTROL_FD = 5


def main() -> None:
    # Ctrl+C in the terminal reaches the whole process group: the dev server decides when this ends.
    signal.signal(signal.SIGINT, lambda *_: None)
    for fd in (FROM_NODE_FD, TO_NODE_FD, CONTROL_FD):
        try:
            os.set_inheritable(fd, False)
        except OSError:
            pass
    reader = FrameReader(os.fdopen(FROM_NODE_FD, "rb", buffering=256 * 1024), control_fd=CONTROL_FD)
    writer = FrameWriter(TO_NODE_FD)
    sys.stdout = LogStream(writer, "stdout", 1)
    sys.stderr = LogStream(writer, "stderr", 2)
    sys.stdin = open(os.devnull, "r")

    try:
        import werkzeug  # noqa: F401 - imported now so that a spare worker is warm
        from importlib.metadata import version

        werkzeug_version = version("werkzeug")
    except Exception as error:  # noqa: BLE001
        writer.write({"t": "fatal", "message": "werkzeug cannot be imported by " + sys.executable + " (" + str(error) + "): install it, e.g. `" + sys.executable + " -m pip install werkzeug`"})
        os._exit(3)

    from .sdk import select_sdk

    sdk_facts, endpoint_base = select_sdk()
    from . import invoke

    import platform

    facts = {"python": platform.python_version(), "implementation": platform.python_implementation(), "executable": sys.executable, "werkzeug": werkzeug_version}
    facts.update(sdk_facts)
    writer.write({"t": "ready", **facts})
    Worker(reader, writer, endpoint_base, invoke, facts["sdk"] == "real").serve()


def _flush_logs() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001
            pass


class Worker:
    def __init__(self, reader: FrameReader, writer: FrameWriter, endpoint_base: type, invoke: Any, real_sdk: bool) -> None:
        self.real_sdk = real_sdk
        self.reader = reader
        self.writer = writer
        self.endpoint_base = endpoint_base
        self.invoke = invoke
        self.classes: Dict[str, type] = {}
        self.calls: Dict[int, Any] = {}
        self.lock = threading.Lock()
        self.sessions: Any = None

    def serve(self) -> None:
        while True:
            frame = self.reader.read()
            if frame is None:
                _flush_logs()
                os._exit(0)
            header, body = frame
            kind = header.get("t")
            if kind == "invoke":
                self.start_call(header, body)
            elif kind == "ack":
                call = self.calls.get(int(header["id"]))
                if call is not None:
                    call.ack(int(header["n"]))
            elif kind == "cancel":
                call = self.calls.get(int(header["id"]))
                if call is not None:
                    call.cancel()
            elif kind == "ping":
                # The heartbeat: no answer while a call holds the GIL tells Node to route elsewhere.
                self.writer.write({"t": "pong"})
            elif kind == "load":
                self.load(str(header["root"]), header.get("sources") or [])

    def load(self, root: str, sources: List[Dict[str, Any]]) -> None:
        from .loader import install_finder, load_source
        from .session import SessionFactory
        from .storage import find_not_found_error

        finder = install_finder(root)
        self.sessions = SessionFactory(root, find_not_found_error(), self.real_sdk)
        results = []
        for item in sources:
            source = str(item["source"])
            endpoints = item.get("endpoints") or []
            current.endpoint = str(endpoints[0]) if endpoints else None
            try:
                result = load_source(source, finder, self.endpoint_base)
            finally:
                _flush_logs()
                current.endpoint = None
            cls = result.pop("cls", None)
            if cls is not None:
                self.classes[source] = cls
            results.append(result)
        self.writer.write({"t": "loaded", "results": results})

    def start_call(self, header: Dict[str, Any], body: bytes) -> None:
        call = self.invoke.Call(int(header["id"]))
        cls = self.classes.get(str(header.get("source")))
        if cls is None or self.sessions is None:
            message = "source " + str(header.get("source")) + " is not loaded in this worker"
            self.writer.write({"t": "error", "id": call.id, "kind": "exception", "message": message, "detail": message})
            return
        with self.lock:
            self.calls[call.id] = call
        thread = threading.Thread(target=self.run_call, args=(call, header, body, cls), name="call-" + str(call.id), daemon=True)
        thread.start()

    def run_call(self, call: Any, header: Dict[str, Any], body: bytes, cls: type) -> None:
        try:
            self.invoke.run_call(call, header, body, cls, self.sessions.create, self.writer, _flush_logs)
        except BaseException:  # noqa: BLE001 - never lose a call: Node waits for its last frame
            self.writer.write({"t": "error", "id": call.id, "kind": "exception", "message": "worker error", "detail": traceback.format_exc()})
        finally:
            with self.lock:
                self.calls.pop(call.id, None)
