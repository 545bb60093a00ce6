"""Calls from a plugin back into Dify (``session.app.chat.invoke`` ...), answered from a stub file.

Nothing of Dify runs locally, so every reverse call is answered from ``<root>/endpoint-kit.stubs.json``
(read again whenever it changes) or fails with a message that names the call and says how to stub it.
The file maps a call name (the attribute path after ``session.``) to an entry::

    {
      "app.chat.invoke": {
        "response": {"answer": "Hello from a stub", "conversation_id": "local-1"},
        "chunks": [{"event": "message", "answer": "Hel"}, {"event": "message", "answer": "lo"}]
      },
      "model.llm.invoke": {"response": {"message": {"content": "42"}}},
      "model.tts.invoke": {"chunks": [{"$base64": "SUQzBAAAAAAA"}]},
      "tool.invoke": {"error": "quota exceeded"}
    }

A blocking call returns ``response``; a streaming call (``response_mode="streaming"``, the default of
``app.*``; ``stream=True``, the default of ``model.llm.invoke``; always for ``model.tts`` and
``tool.*``) yields each of ``chunks``, or ``response`` alone. ``error`` raises an Exception with that
message. JSON objects arrive as dicts that also allow attribute access (``result.message.content``);
``{"$base64": "..."}`` arrives as bytes.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import stat as stat_module
import threading
from typing import Any, Dict, Iterator, List, Optional, Tuple

STUB_FILE = "endpoint-kit.stubs.json"

# Parameter names by position, for calls whose streaming mode can be passed positionally.
_PARAMS: Dict[str, List[str]] = {
    "app.chat.invoke": ["app_id", "query", "inputs", "response_mode", "conversation_id", "files", "user"],
    "app.completion.invoke": ["app_id", "inputs", "response_mode", "files", "user"],
    "app.workflow.invoke": ["app_id", "inputs", "response_mode", "files", "user"],
    "model.llm.invoke": ["model_config", "prompt_messages", "tools", "stop", "stream"],
    "model.llm_structured_output.invoke": ["model_config", "prompt_messages", "json_schema", "tools", "stop", "stream"],
}


class ReverseCallNotStubbed(Exception):
    """A call back into Dify that the stub file does not answer."""


class StubFileError(Exception):
    """The stub file cannot be used. Not a ValueError: Dify answers those with a 404, which would
    read like a routing miss; this is a 500 whose message names the stub file."""


# Stub files hold canned answers (some with base64 media): larger than plugin files may be, still bounded.
MAX_STUB_BYTES = 8 * 1024 * 1024


class StubValue(dict):
    """A dict that also reads its keys as attributes, like the SDK's pydantic results."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def _convert(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$base64"} and isinstance(value["$base64"], str):
            try:
                return base64.b64decode(value["$base64"], validate=True)
            except (binascii.Error, ValueError) as error:
                raise StubFileError(STUB_FILE + ': a "$base64" value is not valid base64 (' + str(error) + ")") from None
        return StubValue((key, _convert(item)) for key, item in value.items())
    if isinstance(value, list):
        return [_convert(item) for item in value]
    return value


def is_streaming(name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> bool:
    if name == "model.tts.invoke" or name.startswith("tool."):
        return True
    params = _PARAMS.get(name)
    if params is None:
        return False
    key = "response_mode" if name.startswith("app.") else "stream"
    default: Any = "streaming" if key == "response_mode" else True
    index = params.index(key)
    value = kwargs.get(key, args[index] if len(args) > index else default)
    return value == "streaming" if key == "response_mode" else bool(value)


class StubFile:
    def __init__(self, root: str) -> None:
        self.root = root
        self.path = os.path.join(root, STUB_FILE)
        self._lock = threading.Lock()
        self._cache: Optional[Tuple[Tuple[int, int], Dict[str, Any]]] = None

    def _entries(self) -> Dict[str, Any]:
        try:
            stat = os.stat(self.path)
        except FileNotFoundError:
            return {}
        except OSError as error:
            raise StubFileError(STUB_FILE + ": cannot be read (" + (error.strerror or str(error)) + ")") from None
        stamp = (stat.st_mtime_ns, stat.st_size)
        with self._lock:
            if self._cache is not None and self._cache[0] == stamp:
                return self._cache[1]
            try:
                data = json.loads(self._read_text())
            except json.JSONDecodeError as error:
                # Position and reason only: a stub file may hold tokens.
                raise StubFileError(
                    STUB_FILE + ":" + str(error.lineno) + ":" + str(error.colno) + ": invalid JSON (" + error.msg + ")"
                ) from None
            if not isinstance(data, dict):
                raise StubFileError(STUB_FILE + ": the top level must be an object of call names")
            self._cache = (stamp, data)
            return data

    def _read_text(self) -> str:
        """The same rules as plugin files: inside the plugin once symlinks are resolved, a regular
        file (a FIFO would hang, /dev/zero never ends), at most MAX_STUB_BYTES, valid UTF-8."""
        root = os.path.realpath(self.root)
        real = os.path.realpath(self.path)
        if os.path.commonpath([root, real]) != root:
            raise StubFileError(STUB_FILE + " resolves outside the plugin folder (a symlink?): it is not read")
        try:
            # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat below then refuses it.
            fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError as error:
            raise StubFileError(STUB_FILE + ": cannot be read (" + (error.strerror or str(error)) + ")") from None
        try:
            info = os.fstat(fd)
            if not stat_module.S_ISREG(info.st_mode):
                raise StubFileError(STUB_FILE + " is not a regular file: it is not read")
            if info.st_size > MAX_STUB_BYTES:
                raise StubFileError(STUB_FILE + " is " + str(info.st_size) + " bytes: at most " + str(MAX_STUB_BYTES) + " are read")
            chunks = []
            size = 0
            while size <= MAX_STUB_BYTES:
                chunk = os.read(fd, min(1 << 20, MAX_STUB_BYTES + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
            if size > MAX_STUB_BYTES:
                raise StubFileError(STUB_FILE + " grew past " + str(MAX_STUB_BYTES) + " bytes while it was read")
        finally:
            os.close(fd)
        raw = b"".join(chunks)
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise StubFileError(STUB_FILE + ": invalid UTF-8 at byte " + str(error.start)) from None

    def answer(self, name: str, args: Tuple[Any, ...], kwargs: Dict[str, Any]) -> Any:
        entry = self._entries().get(name)
        streaming = is_streaming(name, args, kwargs)
        if not isinstance(entry, dict):
            shape = '{"chunks": [...]}' if streaming else '{"response": ...}'
            raise ReverseCallNotStubbed(
                "session." + name + "() calls back into Dify, which does not run locally: add "
                + '"' + name + '": ' + shape + " to " + STUB_FILE + " in the plugin folder"
            )
        if "error" in entry:
            raise Exception(str(entry["error"]))
        if streaming:
            chunks = entry["chunks"] if isinstance(entry.get("chunks"), list) else [entry.get("response")]
            return _iterate([_convert(chunk) for chunk in chunks])
        if "response" not in entry:
            raise ReverseCallNotStubbed(
                "the stub for " + name + " in " + STUB_FILE + ' has no "response" for a blocking call'
            )
        return _convert(entry["response"])


def _iterate(chunks: List[Any]) -> Iterator[Any]:
    yield from chunks


class ReverseCalls:
    """``session.app``, ``session.model`` ...: any attribute path ends in a call answered by stubs."""

    def __init__(self, stubs: StubFile, name: str) -> None:
        self._stubs = stubs
        self._name = name

    def __getattr__(self, attr: str) -> "ReverseCalls":
        if attr.startswith("_"):
            raise AttributeError(attr)
        return ReverseCalls(self._stubs, self._name + "." + attr)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._stubs.answer(self._name, args, kwargs)

    def __repr__(self) -> str:
        return "<reverse call session." + self._name + ">"
