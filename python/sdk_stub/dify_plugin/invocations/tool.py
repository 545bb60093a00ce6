"""``ToolInvocation``: calls a tool through Dify (here: answered from endpoint-kit.stubs.json as ``tool.*``)."""

from typing import Any

from dify_plugin.core.runtime import BackwardsInvocation


class ToolInvocation(BackwardsInvocation):
    _session_path = "tool"

    def invoke(self, *args: Any, **kwargs: Any) -> Any:
        return self._forward("invoke", *args, **kwargs)

    def invoke_builtin_tool(self, *args: Any, **kwargs: Any) -> Any:
        return self._forward("invoke_builtin_tool", *args, **kwargs)

    def invoke_workflow_tool(self, *args: Any, **kwargs: Any) -> Any:
        return self._forward("invoke_workflow_tool", *args, **kwargs)

    def invoke_api_tool(self, *args: Any, **kwargs: Any) -> Any:
        return self._forward("invoke_api_tool", *args, **kwargs)
