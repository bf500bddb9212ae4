"""The base of every client-visible error: a stable `code`, an HTTP status and a message."""

from typing import Any, ClassVar


class AppError(Exception):
    """Base of every client-visible error."""

    code: ClassVar[str] = "error"
    status: ClassVar[int] = 400
    message: ClassVar[str] = "The request could not be completed."

    def __init__(self, message: str | None = None, details: Any = None) -> None:
        self.text = message or self.message
        self.details = details
        super().__init__(self.text)

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.text, "details": self.details}}

    def headers(self) -> dict[str, str]:
        """HTTP headers the response carries besides the body (Retry-After, for one)."""
        return {}
