"""Turn exceptions into the hub's JSON error replies.

A `ShopdeskError` is something the user must be told: its `code` and text go
out as they are. Anything else is a bug: it is logged with its traceback and
the client gets a generic sentence, never the exception text (which may hold
SQL, paths or personal data).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from crm.errors import ShopdeskError

logger = logging.getLogger(__name__)

UNEXPECTED_MESSAGE = "Something went wrong on our side; the error has been logged."


async def shopdesk_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Reply `{"error": code, "message": text}` with the error's HTTP status."""
    if not isinstance(exc, ShopdeskError):  # registered for ShopdeskError only
        return await unexpected_error_handler(request, exc)
    return JSONResponse(
        {"error": exc.code, "message": str(exc)}, status_code=exc.http_status
    )


async def unexpected_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """Log the traceback and reply a 500 that reveals nothing of the cause."""
    logger.error(
        "unhandled error on %s %s", request.method, request.url.path, exc_info=exc
    )
    return JSONResponse(
        {"error": ShopdeskError.code, "message": UNEXPECTED_MESSAGE}, status_code=500
    )


def install_error_handlers(app: FastAPI) -> None:
    """Register both handlers on `app`."""
    app.add_exception_handler(ShopdeskError, shopdesk_error_handler)
    app.add_exception_handler(Exception, unexpected_error_handler)
