"""Prompt messages, enough to build arguments for ``session.model.llm.invoke``."""

from typing import Any, Dict


class PromptMessage:
    role = ""

    def __init__(self, content: Any = None, name: Any = None, **extra: Any) -> None:
        self.content = content
        self.name = name
        for key, value in extra.items():
            setattr(self, key, value)

    def model_dump(self) -> Dict[str, Any]:
        return dict(vars(self), role=self.role)


class SystemPromptMessage(PromptMessage):
    role = "system"


class UserPromptMessage(PromptMessage):
    role = "user"


class AssistantPromptMessage(PromptMessage):
    role = "assistant"


class ToolPromptMessage(PromptMessage):
    role = "tool"
