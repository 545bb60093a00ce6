"""Storage, as the SDK names it: ``StorageInvocationError`` and ``StorageInvocation``.

As in the SDK, a missing key makes ``get`` raise a plain ``Exception`` (the error Dify sends back);
``session.storage`` itself is endpoint-kit's local store under ``.endpoint-kit/storage/``.
"""

from typing import Any

from dify_plugin.core.runtime import BackwardsInvocation


class StorageInvocationError(Exception):
    """Raised when a storage call answers with unexpected data."""


class StorageInvocation(BackwardsInvocation):
    _session_path = "storage"

    def set(self, key: str, val: bytes) -> None:
        self._forward("set", key, val)

    def get(self, key: str) -> Any:
        return self._forward("get", key)

    def delete(self, key: str) -> None:
        self._forward("delete", key)

    def exist(self, key: str) -> bool:
        return self._forward("exist", key)
