"""``TextEmbeddingInvocation``: calls a model through Dify (here: answered from endpoint-kit.stubs.json as ``model.text_embedding.invoke``)."""

from typing import Any

from dify_plugin.core.runtime import BackwardsInvocation


class TextEmbeddingInvocation(BackwardsInvocation):
    _session_path = "model.text_embedding"

    def invoke(self, *args: Any, **kwargs: Any) -> Any:
        return self._forward("invoke", *args, **kwargs)
