"""``InvokeType``: the kinds of calls back into Dify, as the SDK names them."""

from enum import Enum


class InvokeType(Enum):
    Tool = "tool"
    LLM = "llm"
    LLMStructuredOutput = "llm_structured_output"
    TextEmbedding = "text_embedding"
    MultimodalEmbedding = "multimodal_embedding"
    Rerank = "rerank"
    MultimodalRerank = "multimodal_rerank"
    TTS = "tts"
    Speech2Text = "speech2text"
    Moderation = "moderation"
    NodeParameterExtractor = "node_parameter_extractor"
    NodeQuestionClassifier = "node_question_classifier"
    App = "app"
    Storage = "storage"
    UploadFile = "upload_file"
    SYSTEM_SUMMARY = "system_summary"
    FetchApp = "fetch_app"

    @classmethod
    def value_of(cls, value: str) -> "InvokeType":
        return cls(value)
