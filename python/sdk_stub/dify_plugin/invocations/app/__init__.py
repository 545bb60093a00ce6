"""Calls into Dify apps, as the SDK names them: ``ChatAppInvocation`` and friends, and ``FetchAppInvocation``."""

from typing import Any, Mapping

from dify_plugin.core.runtime import BackwardsInvocation


class FetchAppInvocation(BackwardsInvocation):
    _session_path = "app"

    def get(self, app_id: str) -> Mapping[str, Any]:
        return self._forward("fetch_app", app_id)
