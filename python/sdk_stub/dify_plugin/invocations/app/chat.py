"""``ChatAppInvocation``: calls a chat app in Dify (here: answered from endpoint-kit.stubs.json as ``app.chat.invoke``)."""

from typing import Any

from dify_plugin.core.runtime import BackwardsInvocation


class ChatAppInvocation(BackwardsInvocation):
    _session_path = "app.chat"

    def invoke(self, app_id: str, query: str, inputs: dict, response_mode: str = "streaming", conversation_id: Any = None, user: Any = None) -> Any:
        return self._forward("invoke", app_id=app_id, query=query, inputs=inputs, response_mode=response_mode, conversation_id=conversation_id, user=user)
