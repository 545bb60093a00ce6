"""The ``session`` an Endpoint receives: local storage and stubbed calls back into Dify.

Dify creates ``Endpoint(session)`` afresh for every request; so does the worker. The same object
works with the real SDK's ``Endpoint`` (its ``__init__`` only stores the session).
"""

from __future__ import annotations

import uuid
from typing import Any, Optional, Type

from .storage import LocalStorage, storage_folder
from .stubs import ReverseCalls, StubFile


class Session:
    def __init__(self, storage: LocalStorage, stubs: StubFile, endpoint: str) -> None:
        self.session_id = uuid.uuid4().hex
        self.endpoint_id: Optional[str] = endpoint
        self.app_id: Optional[str] = None
        self.conversation_id: Optional[str] = None
        self.message_id: Optional[str] = None
        self.storage = storage
        self.app = ReverseCalls(stubs, "app")
        self.model = ReverseCalls(stubs, "model")
        self.tool = ReverseCalls(stubs, "tool")
        self.workflow_node = ReverseCalls(stubs, "workflow_node")
        self.file = ReverseCalls(stubs, "file")


class SessionFactory:
    """Sessions for one loaded plugin. With the real SDK, each is the SDK's own ``Session`` and the
    SDK's calls back into Dify are answered locally (see sdk_session.py); with the stand-in, it is
    the local ``Session`` above."""

    def __init__(self, root: str, not_found: Type[Exception], real_sdk: bool = False) -> None:
        self._storage = LocalStorage(storage_folder(root), not_found)
        self._stubs = StubFile(root)
        self._real_sdk = False
        if real_sdk:
            from .sdk_session import install_transport

            try:
                install_transport(self._stubs, self._storage)
                self._real_sdk = True
            except Exception:  # noqa: BLE001 - an SDK without this transport gets the local session
                pass

    def create(self, endpoint: str) -> Any:
        if self._real_sdk:
            from .sdk_session import create_sdk_session

            try:
                return create_sdk_session(endpoint)
            except Exception:  # noqa: BLE001 - an SDK Session this version cannot build: the local one
                self._real_sdk = False
        return Session(self._storage, self._stubs, endpoint)
