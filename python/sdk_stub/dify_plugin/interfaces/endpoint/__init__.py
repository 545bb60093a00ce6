"""``Endpoint``: the base class of endpoint handlers, with the SDK's constructor and ``invoke``."""

from abc import ABC, abstractmethod
from typing import Any, Mapping

from werkzeug import Request, Response


class EndpointGroup(ABC):
    def setup(self, settings: Mapping) -> Any:
        return self._setup(settings)

    @abstractmethod
    def _setup(self, settings: Mapping) -> Any:
        pass


class Endpoint(ABC):
    def __init__(self, session: Any) -> None:
        self.session = session

    @abstractmethod
    def _invoke(self, r: Request, values: Mapping, settings: Mapping) -> Response:
        """Answers one request; implemented by the plugin."""

    def invoke(self, r: Request, values: Mapping, settings: Mapping) -> Response:
        return self._invoke(r, values, settings)
