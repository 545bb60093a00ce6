"""``Plugin``: the SDK's process entry point. Locally, endpoint-kit runs the endpoints itself."""

from typing import Any


class Plugin:
    def __init__(self, config: Any = None) -> None:
        self.config = config

    def run(self) -> None:
        raise RuntimeError("run the plugin with `endpoint-kit dev`, or install dify_plugin to run it on Dify")
