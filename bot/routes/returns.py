"""`GET /returns/label/<token>.pdf`: the customer's return label, no login.

The link is shown to the verified customer in their own chat right after
the return is opened (`ReturnCreated.label_path`); its random token is the
credential, so the route asks for nothing else. The PDF holds a name and
an address: browsers and proxies are told not to keep it.
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from bot.deps import DbSession
from bot.labels import render_label
from crm.returns.labels import LABEL_PATH, label_for

router = APIRouter(tags=["returns"])

NO_STORE_HEADERS = {
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


@router.get(
    LABEL_PATH,
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The label PDF."},
        404: {"description": "No label at this link (unknown or cancelled)."},
    },
)
def return_label(token: str, session: DbSession) -> Response:
    """Send the label PDF of the return whose link holds `token`, as a download.

    Raises:
        ReturnLabelNotFound: unknown token or cancelled return (404 JSON).
    """
    label = label_for(session, token=token)
    pdf = render_label(label)
    return Response(
        content=pdf,
        media_type="application/pdf",
        headers={
            **NO_STORE_HEADERS,
            "Content-Disposition": f"attachment; filename={label.rma_number}.pdf",
        },
    )
