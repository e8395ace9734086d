"""The site's logging pieces."""

import logging


class RefusalsOnOneLine(logging.Filter):
    """Django logs a refused request (a PermissionDenied, a BadRequest) with the exception's
    traceback: dozens of lines for an everyday 403. Keep the one line that says what was
    refused and where; server errors (5xx) keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
