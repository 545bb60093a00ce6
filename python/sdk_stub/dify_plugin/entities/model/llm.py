"""``LLMModelConfig``: the model argument of ``session.model.llm.invoke``."""

from typing import Any, Dict, Optional


class LLMModelConfig:
    def __init__(self, provider: str = "", model: str = "", mode: str = "chat", completion_params: Optional[Dict[str, Any]] = None, **extra: Any) -> None:
        self.provider = provider
        self.model = model
        self.mode = mode
        self.completion_params = completion_params or {}
        for key, value in extra.items():
            setattr(self, key, value)

    def model_dump(self) -> Dict[str, Any]:
        return dict(vars(self))
