"""``LLMModelConfig``: the model argument of ``session.model.llm.invoke``, as strict as the SDK's."""

from dify_plugin._model import _REQUIRED
from dify_plugin.entities.model import BaseModelConfig, ModelType


class LLMModelConfig(BaseModelConfig):
    _fields = {
        **BaseModelConfig._fields,
        "model_type": (ModelType, ModelType.LLM),
        "mode": (str, _REQUIRED),
        "completion_params": (dict, dict),
    }
