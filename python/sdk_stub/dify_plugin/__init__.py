"""A stand-in for Dify's ``dify_plugin`` SDK, used by endpoint-kit only when the real SDK is not
installed for the Python that runs the plugin (or fails to import there). It offers what endpoint
code imports: ``Endpoint``, the invocation classes (``dify_plugin.invocations.app.chat`` ...), the
model configs (as strict as the SDK's), the SDK's exception classes. Anything else fails with a
message that names the stand-in and how to install the real SDK."""

import sys

from dify_plugin.config.config import DifyPluginEnv
from dify_plugin.interfaces.endpoint import Endpoint, EndpointGroup
from dify_plugin.plugin import Plugin

__all__ = ["DifyPluginEnv", "Endpoint", "EndpointGroup", "Plugin"]

# Parts of the SDK built on its pydantic models (tools, model providers, agents, datasources,
# triggers): imitating them without pydantic would be a different API, so the stand-in says so.
_PYDANTIC_PARTS = (
    "dify_plugin.entities.tool", "dify_plugin.interfaces.tool", "dify_plugin.interfaces.model",
    "dify_plugin.interfaces.agent", "dify_plugin.entities.agent", "dify_plugin.interfaces.datasource",
    "dify_plugin.entities.datasource", "dify_plugin.interfaces.trigger", "dify_plugin.entities.trigger",
    "dify_plugin.tool", "dify_plugin.file",
)
_PYDANTIC_NAMES = {
    "Tool", "ToolProvider", "ModelProvider", "LargeLanguageModel", "TextEmbeddingModel", "RerankModel",
    "Speech2TextModel", "TTSModel", "ModerationModel", "AgentProvider", "AgentStrategy", "File",
    "OAICompatProvider", "OAICompatLargeLanguageModel", "OAICompatEmbeddingModel", "OAICompatRerankModel",
    "OAICompatSpeech2TextModel", "OAICompatText2SpeechModel", "get_current_session",
}


def _install_hint() -> str:
    return "install the real SDK for this Python: `" + sys.executable + " -m pip install dify_plugin`"


def _missing(what: str) -> str:
    if what.startswith(_PYDANTIC_PARTS) or what.split(".")[-1] in _PYDANTIC_NAMES:
        return (what + " is part of the SDK's pydantic models, which endpoint-kit's stand-in dify_plugin "
                "cannot imitate honestly; " + _install_hint())
    return what + " is not provided by endpoint-kit's stand-in dify_plugin (in use because the real SDK is not installed or cannot be imported); " + _install_hint()


def __getattr__(name: str) -> object:
    if name not in _PYDANTIC_NAMES:
        # AttributeError, so `getattr(dify_plugin, name, default)` and `hasattr` keep working.
        raise AttributeError("module 'dify_plugin' has no attribute " + repr(name) + ": " + _missing("dify_plugin." + name))
    # ImportError, not AttributeError: `from dify_plugin import Tool` then keeps this message.
    raise ImportError(_missing("dify_plugin." + name), name="dify_plugin")


class _MissingModule:
    """Last on ``sys.meta_path``: a ``dify_plugin.*`` module nothing else found gets a useful error."""

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if fullname.startswith("dify_plugin.") and sys.modules.get("dify_plugin") is sys.modules[__name__]:
            raise ModuleNotFoundError("No module named " + repr(fullname) + ": " + _missing(fullname), name=fullname)
        return None


if not any(type(finder).__name__ == "_MissingModule" for finder in sys.meta_path):
    sys.meta_path.append(_MissingModule())
