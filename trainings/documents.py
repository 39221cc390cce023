"""Files made from a session: the printable sign-in sheet and the sheet template."""

from django.conf import settings
from django.urls import reverse

from common.pdf import render_pdf
from common.sheets import rows_to_csv, rows_to_xlsx

from .models import Session
from .selectors import session_attendance_grid
from .sheets import score_cell, template_rows

BLANK_ROWS = 8  # for people who turn up without having been registered


def sign_in_sheet_pdf(*, session: Session) -> bytes:
    days, enrolments, _statuses = session_attendance_grid(session=session)
    numbered_from = len(enrolments) + 1
    admin_url = reverse("sessions:inspect", args=[session.pk])
    return render_pdf(
        "trainings/sign_in_sheet.html",
        {
            "session": session,
            "days": days,
            "rows": [
                (e, score_cell(e.pre_score), score_cell(e.post_score))
                for e in enrolments
            ],
            "blank_rows": range(numbered_from, numbered_from + BLANK_ROWS),
            "qr_data": f"{settings.WAGTAILADMIN_BASE_URL}{admin_url}",
        },
    )


def sheet_template(
    *, session: Session, file_format: str, for_user=None
) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the spreadsheet template, with phone
    numbers as ``for_user`` may see them."""
    rows = template_rows(session=session, for_user=for_user)
    if file_format == "csv":
        return rows_to_csv(rows), "text/csv; charset=utf-8", f"{session.code}.csv"
    return (
        rows_to_xlsx(rows, title=session.code),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"{session.code}.xlsx",
    )
