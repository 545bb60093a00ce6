"""Runs one call: builds the werkzeug Request, calls ``_invoke`` on a fresh instance, streams the answer.

Each call runs on its own thread. The body is sent chunk by chunk as the response iterable yields
it; at most ``WINDOW`` bytes may wait unread on the Node side (Node acks what it consumed). A cancel
from Node closes the iterable (a generator's ``finally`` runs) at the next chunk boundary.
"""

from __future__ import annotations

import sys
import threading
import traceback
import uuid
from typing import Any, Callable, Dict, Mapping
from urllib.parse import urlsplit

from werkzeug import Request, Response
from werkzeug.test import EnvironBuilder

from .framing import FrameWriter
from .logs import current

WINDOW = 1024 * 1024


class Call:
    def __init__(self, call_id: int) -> None:
        self.id = call_id
        self.cancelled = False
        self.credit = WINDOW
        self.cond = threading.Condition()

    def ack(self, n: int) -> None:
        with self.cond:
            self.credit += n
            self.cond.notify_all()

    def cancel(self) -> None:
        with self.cond:
            self.cancelled = True
            self.cond.notify_all()

    def wait_for_credit(self) -> bool:
        """Blocks while the window is full; False once the call was cancelled."""
        with self.cond:
            while self.credit <= 0 and not self.cancelled:
                self.cond.wait()
            return not self.cancelled


def convert_values(values: Mapping[str, Any]) -> Dict[str, Any]:
    converted: Dict[str, Any] = {}
    for name, value in values.items():
        kind, text = value.get("type"), str(value.get("text", ""))
        if kind == "int":
            converted[name] = int(text)
        elif kind == "float":
            converted[name] = float(text)
        elif kind == "uuid":
            converted[name] = uuid.UUID(text)
        else:
            converted[name] = text
    return converted


def build_request(message: Mapping[str, Any], body: bytes) -> Request:
    url = urlsplit(str(message["url"]))
    builder = EnvironBuilder(
        method=str(message["method"]),
        base_url=(url.scheme or "http") + "://" + (url.netloc or "localhost"),
        path=url.path or "/",
        query_string=url.query,
        headers=[(str(name), str(value)) for name, value in message.get("headers", [])],
        data=body,
    )
    try:
        return Request(builder.get_environ())
    finally:
        builder.close()


def _user_traceback(error: BaseException) -> str:
    """The traceback without this module's frame (the first one): it starts at the plugin's code."""
    tb = error.__traceback__
    if tb is not None and tb.tb_frame.f_code.co_filename == __file__ and tb.tb_next is not None:
        tb = tb.tb_next
    return "".join(traceback.format_exception(type(error), error, tb))


def _error_text(error: BaseException) -> str:
    if isinstance(error, SystemExit):
        # Not the exit code alone ("Internal Server Error: 4"): the worker goes on serving.
        return "the handler called sys.exit(" + repr(error.code) + "); an endpoint must return a Response (the worker keeps running)"
    return str(error) or type(error).__name__


def run_call(
    call: Call,
    message: Mapping[str, Any],
    body: bytes,
    endpoint_cls: type,
    make_session: Callable[[str], Any],
    writer: FrameWriter,
    flush_logs: Callable[[], None],
) -> None:
    endpoint = str(message["endpoint"])
    current.endpoint = endpoint
    try:
        try:
            request = build_request(message, body)
            values = convert_values(message.get("values") or {})
            response = endpoint_cls(make_session(endpoint))._invoke(request, values, message.get("settings") or {})
            if not isinstance(response, Response):
                raise TypeError("_invoke returned " + type(response).__name__ + ", not a werkzeug Response")
        except ValueError as error:
            writer.write({"t": "error", "id": call.id, "kind": "value-error", "message": _error_text(error), "detail": _user_traceback(error)})
            return
        except BaseException as error:  # noqa: BLE001 - SystemExit from user code must not end the worker
            writer.write({"t": "error", "id": call.id, "kind": "exception", "message": _error_text(error), "detail": _user_traceback(error)})
            return
        writer.write({"t": "head", "id": call.id, "status": response.status_code, "headers": [list(h) for h in response.headers.items()]})
        _stream_body(call, response, writer)
        writer.write({"t": "end", "id": call.id})
    finally:
        flush_logs()
        current.endpoint = None


def _stream_body(call: Call, response: Response, writer: FrameWriter) -> None:
    try:
        # Dify iterates `response.response` itself (not werkzeug's iter_encoded): so does this.
        iterable = response.response
        if isinstance(iterable, (bytes, bytearray, str)):
            iterable = [iterable]
        for chunk in iterable:
            if call.cancelled:
                break
            data = chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk)
            if not data:
                continue
            writer.write({"t": "chunk", "id": call.id}, data)
            with call.cond:
                call.credit -= len(data)
            if not call.wait_for_credit():
                break
    except BaseException as error:  # noqa: BLE001 - written into the body, as Dify does
        writer.write({"t": "chunk", "id": call.id}, _error_text(error).encode("utf-8"))
        sys.stderr.write(_user_traceback(error))
    finally:
        try:
            response.close()
        except BaseException:  # noqa: BLE001
            sys.stderr.write(traceback.format_exc())
