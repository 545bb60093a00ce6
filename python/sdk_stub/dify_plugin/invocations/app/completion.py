"""``CompletionAppInvocation``: calls a completion app in Dify (here: answered from endpoint-kit.stubs.json as ``app.completion.invoke``)."""

from typing import Any

from dify_plugin.core.runtime import BackwardsInvocation


class CompletionAppInvocation(BackwardsInvocation):
    _session_path = "app.completion"

    def invoke(self, app_id: str, inputs: dict, response_mode: str = "streaming", user: Any = None) -> Any:
        return self._forward("invoke", app_id=app_id, inputs=inputs, response_mode=response_mode, user=user)
