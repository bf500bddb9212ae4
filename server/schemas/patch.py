"""The base of PATCH request bodies: only the fields sent change, and an explicit
null is refused at parsing wherever the field cannot be cleared, so no action meets one."""

from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError


class PatchBody(BaseModel):
    """A PATCH body: unknown fields, loose types and nulls where nothing may be cleared are errors."""

    model_config = ConfigDict(extra="forbid", strict=True)
    # The fields a null clears (a time, an optional text); every other field refuses null.
    clearable: ClassVar[frozenset[str]] = frozenset()

    # Runs only on the fields sent (a field left out is never validated), after their type:
    # a before-validator would make strict JSON parsing refuse ISO times as strings.
    @field_validator("*", mode="after")
    @classmethod
    def _refuse_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.clearable:
            raise PydanticCustomError(
                "null_not_allowed", "{field} cannot be null", {"field": info.field_name}
            )
        return value
