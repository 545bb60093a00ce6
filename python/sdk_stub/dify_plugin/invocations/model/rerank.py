"""``RerankInvocation``: calls a model through Dify (here: answered from endpoint-kit.stubs.json as ``model.rerank.invoke``)."""

from typing import Any

from dify_plugin.core.runtime import BackwardsInvocation


class RerankInvocation(BackwardsInvocation):
    _session_path = "model.rerank"

    def invoke(self, *args: Any, **kwargs: Any) -> Any:
        return self._forward("invoke", *args, **kwargs)
