"""A small strict data model for the stand-in's SDK models (the SDK's are pydantic models).

Required fields must be given, enum fields take the enum or its value, unknown fields are ignored
(pydantic's default), and a bad or missing field raises ``ValidationError``, a ``ValueError`` as
pydantic's is (so an endpoint that builds a bad model answers 404, as on Dify). ``model_dump``
accepts pydantic's ``mode``, ``include``, ``exclude`` and ``exclude_none``.
"""

from enum import Enum
from typing import Any, Dict, Optional, Tuple

_REQUIRED = object()


class ValidationError(ValueError):
    """Raised when a model is built from bad data (pydantic's ``ValidationError`` is a ``ValueError`` too)."""


class StrictModel:
    # name -> (expected type or enum class, default or _REQUIRED); filled by subclasses.
    _fields: Dict[str, Tuple[Any, Any]] = {}

    def __init__(self, **data: Any) -> None:
        errors = []
        for name, (kind, default) in self._fields.items():
            if name not in data:
                if default is _REQUIRED:
                    errors.append(name + "\n  Field required [type=missing]")
                    continue
                value = default() if callable(default) and not isinstance(default, Enum) else default
            else:
                value = data[name]
            try:
                value = _coerce(kind, value)
            except (TypeError, ValueError) as error:
                errors.append(name + "\n  " + str(error))
                continue
            object.__setattr__(self, name, value)
        if errors:
            count = str(len(errors)) + " validation error" + ("s" if len(errors) > 1 else "")
            raise ValidationError(count + " for " + type(self).__name__ + "\n" + "\n".join(errors))

    def model_dump(self, *, mode: str = "python", include: Optional[Any] = None, exclude: Optional[Any] = None, exclude_none: bool = False, **_: Any) -> Dict[str, Any]:
        out: Dict[str, Any] = {}
        for name in self._fields:
            if include is not None and name not in include:
                continue
            if exclude is not None and name in exclude:
                continue
            value = getattr(self, name)
            if exclude_none and value is None:
                continue
            out[name] = value.value if mode == "json" and isinstance(value, Enum) else value
        return out

    def __repr__(self) -> str:
        return type(self).__name__ + "(" + ", ".join(k + "=" + repr(getattr(self, k)) for k in self._fields) + ")"

    def __eq__(self, other: Any) -> bool:
        return type(other) is type(self) and self.model_dump() == other.model_dump()


def _coerce(kind: Any, value: Any) -> Any:
    if isinstance(kind, type) and issubclass(kind, Enum):
        if isinstance(value, kind):
            return value
        try:
            return kind(value)
        except ValueError:
            allowed = ", ".join(repr(member.value) for member in kind)
            raise ValueError("Input should be " + allowed + " [type=enum, input_value=" + repr(value) + "]") from None
    if kind is str and not isinstance(value, str):
        raise TypeError("Input should be a valid string [type=string_type, input_value=" + repr(value) + "]")
    if kind is dict and not isinstance(value, dict):
        raise TypeError("Input should be a valid dictionary [type=dict_type, input_value=" + repr(value) + "]")
    return value
