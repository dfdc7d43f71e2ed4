from __future__ import annotations

from urllib.parse import quote

from django.http import HttpResponse

from silvershield.core.audit import audit_record
from silvershield.core.permissions import Perm
from silvershield.core.webutil import staff_view
from silvershield.documents.letters import transfer_letter_docx
from silvershield.orgs.http import AuthedRequest
from silvershield.workflow.selectors import access_letter

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@staff_view(Perm.TIP_VIEW)
def transfer_letter(request: AuthedRequest, pk: int) -> HttpResponse:
    letter = access_letter(user=request.user, letter_id=pk)
    audit_record(
        actor=request.user,
        action="letter.downloaded",
        obj=letter,
        region_path=letter.issuing_unit.region_path,
        summary=f"下载转办函 {letter.number}",
    )
    return docx_response(transfer_letter_docx(letter), f"转办函{letter.number}.docx")
