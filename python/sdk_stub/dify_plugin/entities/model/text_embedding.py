"""``TextEmbeddingModelConfig``: the model argument of ``session.model.text_embedding.invoke``."""

from dify_plugin.entities.model import BaseModelConfig, ModelType


class TextEmbeddingModelConfig(BaseModelConfig):
    _fields = {**BaseModelConfig._fields, "model_type": (ModelType, ModelType.TEXT_EMBEDDING)}
