"""``TTSModelConfig``: the model argument of ``session.model.tts.invoke``, as strict as the SDK's."""

from dify_plugin._model import _REQUIRED, StrictModel
from dify_plugin.entities.model import BaseModelConfig, ModelType


class TTSModelConfig(BaseModelConfig):
    _fields = {**BaseModelConfig._fields, "model_type": (ModelType, ModelType.TTS), "voice": (str, _REQUIRED)}


class TTSResult(StrictModel):
    _fields = {"result": (str, _REQUIRED), "mime_type": (object, None)}
