"""Tool errors, as the SDK names them."""


class ToolProviderCredentialValidationError(Exception):
    pass


class ToolProviderOAuthError(Exception):
    pass
