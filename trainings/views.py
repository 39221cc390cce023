"""Admin views that the generic viewset screens would make slower for trainers."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from access.policy import may, people_visible, phone_shown
from common.uploads import upload_limit
from common.views import PreviewConfirmMixin
from people.forms import PersonQuickForm
from people.models import Gender

from . import hooks
from .documents import sheet_template, sign_in_sheet_pdf
from .forms import PasteRowsForm, SheetUploadForm, StudyRecordFormSet
from .imports import ImportReport, sheet_import
from .models import Attendance, Enrolment, Session, TraineeFollowUp
from .paste import PASTE_FILENAME, paste_import, paste_read
from .selectors import (
    learning_rows,
    people_to_enrol,
    session_attendance_grid,
    session_attendance_totals,
    session_counts,
    session_follow_ups,
    session_learning,
    sessions_changeable_by,
    sessions_visible_to,
)
from .services import (
    attendance_record_session,
    enrolment_add,
    enrolment_add_people,
    enrolment_scores_record,
    session_complete,
    session_completion_outcomes,
    study_records_save,
)
from .sheets import SCORE_COLUMNS, score_cell, score_from_cell

IMPORT_STORAGE_DIR = "sheet-imports"


def _session_for(request, pk, *, change: bool) -> Session:
    if not request.user.has_perm(
        "trainings.change_session" if change else "trainings.view_session"
    ):
        raise PermissionDenied
    scope = sessions_changeable_by if change else sessions_visible_to
    return get_object_or_404(scope(request.user), pk=unquote(str(pk)))


class SessionDetailView(generic.InspectView):
    """The session page: counts, days, people, and the trainer's next actions."""

    template_name = "trainings/admin/session_detail.html"
    page_title = gettext_lazy("Session")

    def get_object(self, queryset=None):
        return get_object_or_404(
            sessions_visible_to(self.request.user), pk=unquote(str(self.pk))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = self.object
        days, enrolments, statuses = session_attendance_grid(session=session)
        context.update(
            session=session,
            counts=session_counts(session=session),
            days=days,
            enrolments=enrolments,
            can_change=sessions_changeable_by(self.request.user)
            .filter(pk=session.pk)
            .exists(),
            will_not_complete=_will_not_complete(session),
            study_rows=[
                enrolment
                for enrolment in enrolments
                if enrolment.role == Enrolment.Role.PARTICIPANT
            ],
        )
        context["learning"] = learning = session_learning(session=session)
        context["learning_rows"] = learning_rows(learning)
        context["follow_ups"] = session_follow_ups(session=session)
        context["follow_ups_listed"] = may(self.request.user, "view", TraineeFollowUp)
        impact = hooks.provider(hooks.SESSIONS_IMPACT)(sessions=[session])
        context["impact"] = impact.get(session.pk)
        # The certificates and feedback sections (trainings/hooks.py).
        for section in hooks.registered(hooks.SESSION_PAGE):
            context.update(section(self.request, session))
        return context


def _will_not_complete(session: Session) -> list:
    """Before completion: the participants the course's rule would not pass, and
    why, as attendance and scores stand now. Not before the first day: then nobody
    has attended yet, and the list would name everyone."""
    if session.status in (Session.Status.COMPLETED, Session.Status.CANCELLED):
        return []
    if session.starts_on > timezone.localdate():
        return []
    return [o for o in session_completion_outcomes(session=session) if not o.completed]


class SessionActionView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "date"
    change = True

    def dispatch(self, request, *args, **kwargs):
        self.session = _session_for(request, kwargs["pk"], change=self.change)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.session)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("sessions:index"), "label": _("Sessions")},
            {
                "url": reverse("sessions:inspect", args=[self.session.pk]),
                "label": self.session.code,
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def detail_url(self) -> str:
        return reverse("sessions:inspect", args=[self.session.pk])

    def get_context_data(self, **kwargs):
        return super().get_context_data(session=self.session, **kwargs)


class AttendanceGridView(SessionActionView):
    """People × days, one select per cell, one save for the whole grid.

    The "all present" buttons fill a day's or a person's selects in the browser;
    without JavaScript they submit the grid, which is saved with that day or
    person present, and the grid comes back.
    """

    template_name = "trainings/admin/attendance_grid.html"
    page_title = gettext_lazy("Attendance")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            grid=session_attendance_totals(session=self.session),
            choices=Attendance.Status.choices,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        grid: dict[int, dict[int, str]] = {}
        for name, value in request.POST.items():
            if not name.startswith("cell-"):
                continue
            try:
                _prefix, enrolment_id, day_id = name.split("-")
                grid.setdefault(int(day_id), {})[int(enrolment_id)] = value
            except ValueError:
                messages.error(
                    request, _("The attendance form was damaged; try again.")
                )
                return redirect(request.path)
        fill = request.POST.get("fill", "")
        _fill_present(grid, fill)
        try:
            changed = attendance_record_session(session=self.session, statuses=grid)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)
        messages.success(
            request,
            ngettext(
                "Attendance saved (%(count)s change).",
                "Attendance saved (%(count)s changes).",
                changed,
            )
            % {"count": changed},
        )
        return redirect(request.path if fill else self.detail_url())


def _fill_present(grid: dict[int, dict[int, str]], fill: str) -> None:
    """Mark a whole day (``day-<id>``) or a person (``person-<id>``) present."""
    kind, _dash, number = fill.partition("-")
    if not number.isdigit():
        return
    for day_id, cells in grid.items():
        for enrolment_id in cells:
            if (kind == "day" and day_id == int(number)) or (
                kind == "person" and enrolment_id == int(number)
            ):
                cells[enrolment_id] = Attendance.Status.PRESENT


class ScoreGridView(SessionActionView):
    """One row per person, pre- and post-test score side by side, one save."""

    template_name = "trainings/admin/score_grid.html"
    page_title = gettext_lazy("Test scores")

    def get_context_data(self, **kwargs):
        _days, enrolments, _statuses = session_attendance_grid(session=self.session)
        typed = kwargs.pop("typed", {})
        errors = kwargs.pop("errors", {})
        # Tab goes down a column (the next person's same score), then on to the
        # next column and the buttons: each box's tabindex is its place in that order.
        count = len(enrolments)
        rows = [
            (
                enrolment,
                [
                    (
                        key,
                        typed.get((enrolment.pk, key))
                        if (enrolment.pk, key) in typed
                        else score_cell(getattr(enrolment, key)),
                        errors.get((enrolment.pk, key), ""),
                        column * count + row + 1,
                    )
                    for column, key in enumerate(SCORE_COLUMNS)
                ],
            )
            for row, enrolment in enumerate(enrolments)
        ]
        after = len(SCORE_COLUMNS) * count
        return super().get_context_data(
            rows=rows, save_tabindex=after + 1, cancel_tabindex=after + 2, **kwargs
        )

    def post(self, request, *args, **kwargs):
        typed, scores, errors = {}, {}, {}
        for name, value in request.POST.items():
            prefix, _dash, number = name.partition("-")
            key = {"pre": "pre_score", "post": "post_score"}.get(prefix)
            if key is None or not number.isdigit():
                continue
            typed[(int(number), key)] = value.strip()
            score = score_from_cell(value) if value.strip() else None
            if value.strip() and score is None:
                errors[(int(number), key)] = _("Write a number from 0 to 100.")
            scores.setdefault(int(number), {})[key] = score
        if errors:
            messages.error(request, _("Some scores are not numbers from 0 to 100."))
            return self._again(typed, errors)
        try:
            changed = enrolment_scores_record(session=self.session, scores=scores)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self._again(typed, errors)
        messages.success(
            request,
            ngettext(
                "Scores saved (%(count)s person changed).",
                "Scores saved (%(count)s people changed).",
                changed,
            )
            % {"count": changed},
        )
        return redirect(self.detail_url())

    def _again(self, typed, errors):
        """The grid as typed, with what was wrong: nothing typed is lost."""
        return self.render_to_response(
            self.get_context_data(typed=typed, errors=errors)
        )


class StudyRecordsView(SessionActionView):
    """A long or external programme's participants: study status, end of studies
    and return to post, one row each, one save (audited as enrolment edits)."""

    template_name = "trainings/admin/study_records.html"
    page_title = gettext_lazy("Study and return to post")

    def participants(self):
        if not self.session.external:
            raise Http404
        return list(
            self.session.enrolments.filter(role=Enrolment.Role.PARTICIPANT)
            .select_related("person")
            .order_by("person__full_name", "pk")
        )

    def get_context_data(self, **kwargs):
        participants = self.participants()
        formset = kwargs.pop("formset", None) or StudyRecordFormSet(
            initial=[
                {
                    "enrolment": enrolment.pk,
                    "study_status": enrolment.study_status.value,
                    "study_ended_on": enrolment.study_ended_on,
                    "returned_on": enrolment.returned_on,
                    "return_position": enrolment.return_position,
                }
                for enrolment in participants
            ]
        )
        return super().get_context_data(
            rows=list(zip(participants, formset.forms, strict=False)),
            formset=formset,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        self.participants()
        formset = StudyRecordFormSet(request.POST)
        if not formset.is_valid():
            messages.error(request, _("Some rows are not valid; see below."))
            return self.render_to_response(self.get_context_data(formset=formset))
        records = {
            form.cleaned_data["enrolment"]: form.cleaned_data for form in formset
        }
        try:
            changed = study_records_save(session=self.session, records=records)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return self.render_to_response(self.get_context_data(formset=formset))
        messages.success(
            request,
            ngettext(
                "Saved (%(count)s person changed).",
                "Saved (%(count)s people changed).",
                changed,
            )
            % {"count": changed},
        )
        return redirect(self.detail_url())


@upload_limit("SUKSA_SHEET_MAX_BYTES")
class SheetImportView(PreviewConfirmMixin, SessionActionView):
    """Upload a filled sheet, read the preview, confirm: nothing is saved before."""

    template_name = "trainings/admin/sheet_import.html"
    page_title = gettext_lazy("Import sign-in sheet")
    upload_form_class = SheetUploadForm
    preview_folder = IMPORT_STORAGE_DIR
    preview_session_key = "sheet_imports"

    def preview_scope(self):
        return self.session.pk

    def run_import(self, *, content, filename, dry_run, **options) -> ImportReport:
        return sheet_import(
            session=self.session,
            content=content,
            filename=filename,
            dry_run=dry_run,
            by=self.request.user,
            **options,
        )

    def preview_context(self, report: ImportReport) -> dict:
        return {
            "preview_rows": _preview_rows(report, self.request.user),
            "score_labels": [_("Pre-test score"), _("Post-test score")],
        }

    def confirm_options(self) -> dict:
        return {
            "village_choices": {
                key.removeprefix("village:"): value
                for key, value in self.request.POST.items()
                if key.startswith("village:")
            }
        }

    def imported(self, report: ImportReport):
        messages.success(
            self.request,
            _(
                "Sheet imported. New people: %(new)s · already registered, newly "
                "enrolled: %(enrolled)s · updated: %(updated)s · unchanged: "
                "%(unchanged)s."
            )
            % {
                "new": report.new,
                "enrolled": report.enrolled,
                "updated": report.updated,
                "unchanged": report.unchanged,
            },
        )
        return redirect(self.detail_url())


def _preview_rows(report: ImportReport, user) -> list[dict]:
    """Each row of an import preview as the page shows it: what happens to the
    person, which of their details change, the mark read for each day and the
    scores read, each flagged when it changes what is stored."""
    statuses = dict(Attendance.Status.choices)
    rows = []
    for plan in report.rows[:PREVIEW_ROWS_SHOWN]:
        known = plan.enrolment is not None
        rows.append(
            {
                "number": plan.number,
                "name": plan.person.full_name,
                "outcome": plan.outcome,
                "changes": [
                    _change_text(plan.person, name, value, user)
                    for name, value in plan.changes.items()
                ]
                if not plan.person_is_new
                else [],
                "unknown_village": plan.unknown_village,
                "days": [
                    (
                        statuses.get(plan.read_marks.get(day), ""),
                        plan.read_marks.get(day, ""),
                        known and day in plan.marks,
                    )
                    for day in report.days
                ],
                "scores": [
                    (
                        score_cell(plan.read_scores.get(key)),
                        known and key in plan.scores,
                    )
                    for key in SCORE_COLUMNS
                ],
            }
        )
    return rows


# Rows listed in a preview; the counts above them cover every row.
PREVIEW_ROWS_SHOWN = 300


def _change_text(person, name: str, value, user) -> str:
    """“Phone: 020 5551 2345”: a detail of the person the row changes."""
    label = person._meta.get_field(name).verbose_name
    if name == "phone":
        shown = phone_shown(user, value)
    elif name == "gender":
        shown = Gender(value).label
    elif hasattr(value, "name") and not isinstance(value, str):
        shown = value.name
    else:
        shown = value
    return f"{str(label).capitalize()}: {shown}"


class PasteRowsView(SheetImportView):
    """Rows pasted from a spreadsheet, through the sheet import's preview and
    confirmation (the pasted rows are kept on the server as the file is)."""

    template_name = "trainings/admin/paste_rows.html"
    page_title = gettext_lazy("Add participants by pasting")

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "cancel_url", reverse("sessions:paste", args=[self.session.pk])
        )
        return super().get_context_data(**kwargs)

    upload_form_class = PasteRowsForm

    def preview_import(self, form):
        pasted = paste_read(form.cleaned_data["rows"])
        report = paste_import(
            session=self.session, pasted=pasted, dry_run=True, by=self.request.user
        )
        return report, pasted.content, PASTE_FILENAME


class AddParticipantsView(SessionActionView):
    """Find people (name, organisation, phone), tick many, enrol them at once; or
    register someone new, with the duplicate check, and enrol them."""

    template_name = "trainings/admin/add_participants.html"
    page_title = gettext_lazy("Add participants")
    per_page = 50

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").strip()
        people = people_to_enrol(
            session=self.session, user=self.request.user, query=query
        ).select_related("organisation")
        page = Paginator(people, self.per_page).get_page(self.request.GET.get("p"))
        user = self.request.user
        rows = [(person, phone_shown(user, person.phone)) for person in page]
        kwargs.setdefault("new_person_form", PersonQuickForm(for_user=user))
        return super().get_context_data(
            query=query,
            page=page,
            rows=rows,
            enrolled=self.session.enrolments.count(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "register" in request.POST:
            return self._register(request)
        ids = [pk for pk in request.POST.getlist("person") if pk.isdigit()]
        chosen = people_visible(request.user).filter(pk__in=ids)
        if not chosen:
            messages.error(request, _("Tick the people to enrol first."))
            return redirect(request.get_full_path())
        try:
            count = enrolment_add_people(session=self.session, people=chosen)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.get_full_path())
        messages.success(
            request,
            ngettext(
                "%(count)s participant enrolled.",
                "%(count)s participants enrolled.",
                count,
            )
            % {"count": count},
        )
        return redirect(self.detail_url())

    def _register(self, request):
        form = PersonQuickForm(request.POST, for_user=request.user)
        if form.is_valid():
            try:
                with transaction.atomic():
                    person = form.save()
                    enrolment_add(session=self.session, person=person)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Registered %(person)s and enrolled them.") % {"person": person},
                )
                return redirect(request.path)
        return self.render_to_response(self.get_context_data(new_person_form=form))


class SessionCompleteView(SessionActionView):
    template_name = "trainings/admin/session_complete.html"
    page_title = gettext_lazy("Complete the session")

    def get(self, request, *args, **kwargs):
        return self.render_to_response(
            self.get_context_data(will_not_complete=_will_not_complete(self.session))
        )

    def post(self, request, *args, **kwargs):
        try:
            outcomes = session_complete(session=self.session)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.detail_url())
        return self.render_to_response(
            self.get_context_data(
                outcomes=outcomes, counts=session_counts(session=self.session)
            )
        )


def sheet_download(request, pk, file_format: str):
    session = _session_for(request, pk, change=False)
    if file_format == "pdf":
        content = sign_in_sheet_pdf(session=session)
        content_type, filename = "application/pdf", f"{session.code}-sign-in.pdf"
    elif file_format in ("xlsx", "csv"):
        content, content_type, filename = sheet_template(
            session=session, file_format=file_format, for_user=request.user
        )
    else:
        raise Http404
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
