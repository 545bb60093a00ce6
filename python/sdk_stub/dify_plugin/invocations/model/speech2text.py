"""``Speech2TextInvocation``: calls a model through Dify (here: answered from endpoint-kit.stubs.json as ``model.speech2text.invoke``)."""

from typing import Any

from dify_plugin.core.runtime import BackwardsInvocation


class Speech2TextInvocation(BackwardsInvocation):
    _session_path = "model.speech2text"

    def invoke(self, *args: Any, **kwargs: Any) -> Any:
        return self._forward("invoke", *args, **kwargs)
