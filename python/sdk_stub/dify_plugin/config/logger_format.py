"""``plugin_logger_handler``: the handler Dify's plugin template attaches to its loggers."""

import logging
import sys


class _StderrHandler(logging.StreamHandler):
    # Resolved at each record, so the worker's tagged stderr is used whenever it was replaced.
    @property  # type: ignore[override]
    def stream(self):  # noqa: ANN201
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:  # noqa: ANN001
        pass


plugin_logger_handler = _StderrHandler()
plugin_logger_handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
