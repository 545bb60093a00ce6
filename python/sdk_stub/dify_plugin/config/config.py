"""``DifyPluginEnv``: settings of the plugin process (unused locally, accepted for ``main.py``)."""

import os
from typing import Any


class DifyPluginEnv:
    def __init__(self, **kwargs: Any) -> None:
        self.MAX_REQUEST_TIMEOUT = int(kwargs.pop("MAX_REQUEST_TIMEOUT", os.environ.get("MAX_REQUEST_TIMEOUT", 120)))
        for key, value in kwargs.items():
            setattr(self, key, value)
