"""``session.storage`` backed by files under ``<root>/.endpoint-kit/storage/``, one file per key.

A key made of safe characters keeps a readable file name (``k_<key>``); any other key is stored
under its SHA-256 (``h_<hex>``), so no key can escape the folder or collide with another. Writes go
to a temporary file and are renamed into place, so a reader never sees half a value and a worker
killed mid-write leaves the old value.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import threading
from typing import Type

_SAFE_KEY = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}")


class LocalStorage:
    def __init__(self, folder: str, not_found: Type[Exception]) -> None:
        self._folder = folder
        self._not_found = not_found
        self._lock = threading.Lock()

    def _path(self, key: str) -> str:
        if not isinstance(key, str):
            raise TypeError("storage keys are strings, not " + type(key).__name__)
        if _SAFE_KEY.fullmatch(key):
            name = "k_" + key
        else:
            name = "h_" + hashlib.sha256(key.encode("utf-8")).hexdigest()
        return os.path.join(self._folder, name)

    def set(self, key: str, val: bytes) -> None:
        if not isinstance(val, (bytes, bytearray, memoryview)):
            raise TypeError("storage values are bytes, not " + type(val).__name__ + " (encode it first)")
        path = self._path(key)
        os.makedirs(self._folder, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self._folder, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(bytes(val))
            os.replace(temp, path)
        except BaseException:
            try:
                os.unlink(temp)
            except OSError:
                pass
            raise

    def get(self, key: str) -> bytes:
        try:
            with open(self._path(key), "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            raise self._not_found("no data found for key " + repr(key)) from None

    def exist(self, key: str) -> bool:
        return os.path.isfile(self._path(key))

    def delete(self, key: str) -> None:
        try:
            os.unlink(self._path(key))
        except FileNotFoundError:
            pass


def storage_folder(root: str) -> str:
    return os.path.join(root, ".endpoint-kit", "storage")


def find_not_found_error() -> Type[Exception]:
    """What ``get`` raises for a missing key: the SDK's ``NotFoundError`` where an SDK version has one
    (so ``except NotFoundError`` works), else a plain ``Exception``, which is what the SDK raises when
    Dify answers that a key does not exist."""
    try:
        from dify_plugin.invocations.storage import NotFoundError  # type: ignore

        return NotFoundError
    except Exception:  # noqa: BLE001 - current SDKs have no such class
        return Exception
