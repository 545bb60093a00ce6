"""With the real SDK, the plugin gets the SDK's own ``Session``, and the SDK's backwards-invocation
transport (how every invocation class calls back into Dify) is answered locally.

On Dify, ``session.app.chat.invoke(...)``, ``ChatAppInvocation(self.session).invoke(...)``,
``session.storage.get(...)`` all end in ``BackwardsInvocation._backwards_invoke(type, data_type,
data)``, which sends the request to Dify and turns each event of the answer into ``data_type``.
Here that one method is replaced: storage calls are answered by the local store, every other call
from ``endpoint-kit.stubs.json``, and the answer goes through the SDK's own event conversion
(``_line_converter_wrapper``), so results, streaming and errors behave as the SDK makes them.
"""

from __future__ import annotations

import binascii
import inspect
import uuid
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Dict, Iterator, List, Optional

from .storage import LocalStorage
from .stubs import StubFile, is_streaming

# InvokeType values to the stub names the stand-in's session uses (``session.<name>``).
_STUB_NAMES: Dict[str, str] = {
    "tool": "tool.invoke",
    "llm": "model.llm.invoke",
    "llm_structured_output": "model.llm_structured_output.invoke",
    "text_embedding": "model.text_embedding.invoke",
    "multimodal_embedding": "model.text_embedding.invoke_multimodal",
    "rerank": "model.rerank.invoke",
    "multimodal_rerank": "model.rerank.invoke_multimodal",
    "tts": "model.tts.invoke",
    "speech2text": "model.speech2text.invoke",
    "moderation": "model.moderation.invoke",
    "node_parameter_extractor": "workflow_node.parameter_extractor.invoke",
    "node_question_classifier": "workflow_node.question_classifier.invoke",
    "system_summary": "model.summary.invoke",
    "fetch_app": "app.fetch_app",
    "upload_file": "file.upload",
}
_APP_CLASSES = {"ChatAppInvocation": "app.chat.invoke", "CompletionAppInvocation": "app.completion.invoke", "WorkflowAppInvocation": "app.workflow.invoke"}


class _Event:
    """One event of an answer, shaped as the SDK's reader hands it to ``_line_converter_wrapper``."""

    def __init__(self, request_id: str, event: str, message: str = "", data: Optional[Dict[str, Any]] = None) -> None:
        self.session_id = ""
        self.event = event
        self.data = {"backwards_request_id": request_id, "event": event, "message": message, "data": data}


def stub_name(invocation: Any, invoke_type: Any, data: Dict[str, Any]) -> str:
    kind = str(getattr(invoke_type, "value", invoke_type))
    if kind == "app":
        by_class = _APP_CLASSES.get(type(invocation).__name__)
        return by_class or ("app.chat.invoke" if "query" in data else "app.workflow.invoke")
    return _STUB_NAMES.get(kind, kind + ".invoke")


def _plain(value: Any) -> Any:
    """Stub values as JSON-like data for ``data_type(**data)``: bytes become hex, as Dify sends them."""
    if isinstance(value, (bytes, bytearray)):
        return binascii.hexlify(bytes(value)).decode()
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _shape(name: str, item: Any, data: Dict[str, Any]) -> Dict[str, Any]:
    """A stub value in the shape the SDK's invocation class reads."""
    if name == "model.tts.invoke" and isinstance(item, (bytes, bytearray, str)):
        return {"result": _plain(item if isinstance(item, (bytes, bytearray)) else item.encode())}
    plain = _plain(item)
    if name == "model.llm.invoke" and isinstance(plain, dict) and "delta" not in plain and "message" in plain:
        # A blocking LLM stub is a whole result; the SDK reads chunks and sums them.
        plain = {"model": plain.get("model", data.get("model", "")), "prompt_messages": [], "delta": {"index": 0, "message": plain["message"], **({"usage": plain["usage"]} if "usage" in plain else {})}}
    return plain if isinstance(plain, dict) else {"data": plain}


def _storage_events(storage: LocalStorage, request_id: str, data: Dict[str, Any]) -> List[_Event]:
    opt, key = data.get("opt"), str(data.get("key", ""))
    try:
        if opt == "set":
            storage.set(key, binascii.unhexlify(str(data.get("value", ""))))
            result: Any = "ok"
        elif opt == "get":
            if not storage.exist(key):
                return [_Event(request_id, "error", "key not found: " + key)]
            result = binascii.hexlify(storage.get(key)).decode()
        elif opt == "del":
            storage.delete(key)
            result = "ok"
        elif opt == "exist":
            result = storage.exist(key)
        else:
            return [_Event(request_id, "error", "unknown storage operation " + repr(opt))]
    except Exception as error:  # noqa: BLE001 - sent back as Dify sends a failure
        return [_Event(request_id, "error", str(error))]
    return [_Event(request_id, "response", data={"data": result}), _Event(request_id, "end")]


def answer(invocation: Any, invoke_type: Any, data: Dict[str, Any], stubs: StubFile, storage: LocalStorage) -> List[_Event]:
    """The events Dify would send back for one backwards invocation, from the stub file or the store."""
    request_id = uuid.uuid4().hex
    if str(getattr(invoke_type, "value", invoke_type)) == "storage":
        return _storage_events(storage, request_id, data)
    name = stub_name(invocation, invoke_type, data)
    try:
        result = stubs.answer(name, (), data)
    except Exception as error:  # noqa: BLE001 - unstubbed calls and stubbed errors fail as Dify's errors do
        return [_Event(request_id, "error", str(error))]
    items = list(result) if is_streaming(name, (), data) else [result]
    events = [_Event(request_id, "response", data=_shape(name, item, data)) for item in items]
    return events + [_Event(request_id, "end")]


def install_transport(stubs: StubFile, storage: LocalStorage) -> None:
    """Replaces the SDK's backwards-invocation transport with local answers (once per worker)."""
    from dify_plugin.core.runtime import BackwardsInvocation  # type: ignore

    def _backwards_invoke(self: Any, type: Any, data_type: Any, data: Dict[str, Any]) -> Iterator[Any]:  # noqa: A002 - the SDK's name
        events = answer(self, type, dict(data), stubs, storage)
        convert = getattr(self, "_line_converter_wrapper", None)
        if convert is not None:
            return convert(iter(events), data_type)
        return _convert_events(events, data_type)

    BackwardsInvocation._backwards_invoke = _backwards_invoke


def _convert_events(events: List[_Event], data_type: Any) -> Iterator[Any]:
    """For SDK versions without ``_line_converter_wrapper``: the same conversion."""
    for event in events:
        if event.event == "end":
            return
        if event.event == "error":
            raise Exception(event.data["message"])
        yield data_type(**event.data["data"])


_executor: Optional[ThreadPoolExecutor] = None


def create_sdk_session(endpoint: str) -> Any:
    """The SDK's own ``Session`` for one request, with the arguments this SDK version's takes."""
    global _executor
    from dify_plugin.core.runtime import Session  # type: ignore

    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="sdk-session")
    offered = {
        "session_id": uuid.uuid4().hex, "executor": _executor, "reader": None, "writer": None,
        "install_method": None, "dify_plugin_daemon_url": None, "endpoint_id": endpoint,
        "conversation_id": None, "message_id": None, "app_id": None, "context": None,
    }
    parameters = inspect.signature(Session.__init__).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())
    return Session(**{key: value for key, value in offered.items() if takes_any or key in parameters})
