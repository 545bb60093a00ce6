"""Model types and the base of model configs, as the SDK names them."""

from enum import Enum

from dify_plugin._model import _REQUIRED, StrictModel


class ModelType(Enum):
    LLM = "llm"
    TEXT_EMBEDDING = "text-embedding"
    RERANK = "rerank"
    SPEECH2TEXT = "speech2text"
    MODERATION = "moderation"
    TTS = "tts"
    TEXT2IMG = "text2img"


class EmbeddingInputType(Enum):
    DOCUMENT = "document"
    QUERY = "query"


class BaseModelConfig(StrictModel):
    _fields = {"provider": (str, _REQUIRED), "model": (str, _REQUIRED), "model_type": (ModelType, _REQUIRED)}
