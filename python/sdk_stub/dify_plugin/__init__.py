"""A minimal stand-in for Dify's ``dify_plugin`` SDK, used by endpoint-kit only when the real SDK is
not installed for the Python that runs the plugin. It covers what endpoint code imports; install
``dify_plugin`` in the plugin's .venv to run against the real one."""

from dify_plugin.config.config import DifyPluginEnv
from dify_plugin.interfaces.endpoint import Endpoint, EndpointGroup
from dify_plugin.plugin import Plugin

__all__ = ["DifyPluginEnv", "Endpoint", "EndpointGroup", "Plugin"]
