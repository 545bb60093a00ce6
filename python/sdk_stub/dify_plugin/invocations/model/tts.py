"""``TTSInvocation``: calls a model through Dify (here: answered from endpoint-kit.stubs.json as ``model.tts.invoke``)."""

from typing import Any

from dify_plugin.core.runtime import BackwardsInvocation


class TTSInvocation(BackwardsInvocation):
    _session_path = "model.tts"

    def invoke(self, *args: Any, **kwargs: Any) -> Any:
        return self._forward("invoke", *args, **kwargs)
