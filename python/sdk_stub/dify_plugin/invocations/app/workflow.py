"""``WorkflowAppInvocation``: calls a workflow app in Dify (here: answered from endpoint-kit.stubs.json as ``app.workflow.invoke``)."""

from typing import Any

from dify_plugin.core.runtime import BackwardsInvocation


class WorkflowAppInvocation(BackwardsInvocation):
    _session_path = "app.workflow"

    def invoke(self, app_id: str, inputs: dict, response_mode: str = "blocking", user: Any = None) -> Any:
        return self._forward("invoke", app_id=app_id, inputs=inputs, response_mode=response_mode, user=user)
