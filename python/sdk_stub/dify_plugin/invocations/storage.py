"""Storage errors, as the SDK names them (``session.storage`` itself is provided by endpoint-kit)."""


class StorageInvocationError(Exception):
    pass


class NotFoundError(StorageInvocationError):
    pass
