"""``LLMStructuredOutputInvocation``: calls a model through Dify (here: answered from endpoint-kit.stubs.json as ``model.llm_structured_output.invoke``)."""

from typing import Any

from dify_plugin.core.runtime import BackwardsInvocation


class LLMStructuredOutputInvocation(BackwardsInvocation):
    _session_path = "model.llm_structured_output"

    def invoke(self, *args: Any, **kwargs: Any) -> Any:
        return self._forward("invoke", *args, **kwargs)
