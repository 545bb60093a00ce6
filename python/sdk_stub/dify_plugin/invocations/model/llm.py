"""``LLMInvocation``: calls a model through Dify (here: answered from endpoint-kit.stubs.json as ``model.llm.invoke``)."""

from typing import Any

from dify_plugin.core.runtime import BackwardsInvocation


class LLMInvocation(BackwardsInvocation):
    _session_path = "model.llm"

    def invoke(self, *args: Any, **kwargs: Any) -> Any:
        return self._forward("invoke", *args, **kwargs)
