"""``BackwardsInvocation``: the base of the SDK's invocation classes, for plugins that build them.

On Dify, ``ChatAppInvocation(self.session).invoke(...)`` sends the call to Dify through the session.
Here every invocation class forwards to the session endpoint-kit gives the plugin (``session.app.chat``
...), whose calls are answered from ``endpoint-kit.stubs.json``.
"""

from typing import Any, Optional


class BackwardsInvocation:
    # The attribute path under ``session`` that this class stands for, e.g. "app.chat".
    _session_path = ""

    def __init__(self, session: Optional[Any] = None) -> None:
        self.session = session

    def __class_getitem__(cls, item: Any) -> type:
        # ``BackwardsInvocation[dict]`` as in the SDK's own subclasses.
        return cls

    def _forward(self, method: str, *args: Any, **kwargs: Any) -> Any:
        if self.session is None:
            raise Exception("current tool runtime does not support backwards invoke")
        target: Any = self.session
        for part in self._session_path.split("."):
            target = getattr(target, part)
        return getattr(target, method)(*args, **kwargs)


class Session:
    """The SDK's session type, for annotations; endpoint-kit passes its own local session."""
