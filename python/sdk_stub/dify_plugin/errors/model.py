"""Model errors, as the SDK names them."""


class InvokeError(ValueError):
    """Base class for all LLM exceptions."""

    description = None

    def __init__(self, description: "str | None" = None) -> None:
        self.description = description
        super().__init__(description)

    def __str__(self) -> str:
        return self.description or self.__class__.__name__


class InvokeConnectionError(InvokeError):
    description = "Connection Error"


class InvokeServerUnavailableError(InvokeError):
    description = "Server Unavailable Error"


class InvokeRateLimitError(InvokeError):
    description = "Rate Limit Error"


class InvokeAuthorizationError(InvokeError):
    description = "Incorrect model credentials provided, please check and try again. "


class InvokeBadRequestError(InvokeError):
    description = "Bad Request Error"


class CredentialsValidateFailedError(ValueError):
    """Credentials validation failed."""
