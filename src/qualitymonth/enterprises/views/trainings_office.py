"""Enterprise trainings, the back office's side: mark an activity as a training, a training's
enterprise attendance (attendees masked) with the certificates button, and the register of
trained CQOs with its counts per industry and its Excel export (mobiles masked)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qualitymonth.core.audit import audit_record
from qualitymonth.core.permissions import PermissionDenied, policy
from qualitymonth.core.spreadsheets import SpreadsheetWriter
from qualitymonth.core.validators import mask_mobile, mask_name
from qualitymonth.core.views import add_service_errors, office_required, paginate, require
from qualitymonth.enterprises import training_selectors as selectors
from qualitymonth.enterprises.models import Training
from qualitymonth.enterprises.selectors import office_cities
from qualitymonth.enterprises.services import trainings as services
from qualitymonth.enterprises.training_forms import CqoRegisterFilterForm, TrainingMarkForm
from qualitymonth.enterprises.training_permissions import CqoAction, TrainingAction

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@office_required
def training_list(request):
    require(request.user, TrainingAction.MANAGE)
    page = paginate(request, selectors.manageable_trainings(request.user), per_page=30)
    return render(
        request,
        "enterprises/trainings/office_list.html",
        {"page": page, "may_register": policy.can(request.user, CqoAction.REGISTER)},
    )


@office_required
@require_http_methods(["GET", "POST"])
def mark(request):
    require(request.user, TrainingAction.MANAGE)
    activities = selectors.markable_activities(request.user)
    initial = {"activity": request.GET.get("activity")} if request.method == "GET" else None
    form = TrainingMarkForm(request.POST or None, initial=initial, activities=activities)
    if request.method == "POST" and form.is_valid():
        activity = form.cleaned_data["activity"]
        try:
            services.training_mark(
                activity=activity, kind=form.cleaned_data["kind"], acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The activity is now an enterprise training."))
            return redirect("trainings_office:attendance", activity_id=activity.pk)
    return render(
        request,
        "enterprises/trainings/mark.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _training_or_404(request, activity_id: int) -> Training:
    training = selectors.training_for_activity(activity_id)
    if training is None or not policy.can(request.user, TrainingAction.MANAGE, training.activity):
        raise Http404
    return training


@office_required
def attendance(request, activity_id: int):
    training = _training_or_404(request, activity_id)
    page = paginate(request, selectors.training_attendance(training), per_page=50)
    rows = [
        {
            "enterprise": a.enterprise,
            "name": mask_name(a.registration.name),
            "mobile": mask_mobile(a.registration.mobile),
            "is_cqo": a.cqo_id is not None,
            "status": a.registration.get_status_display(),
            "checked_in_at": a.registration.checked_in_at,
            "certificate": a.cqo.certificate_number if a.cqo_id else "",
        }
        for a in page
    ]
    return render(
        request,
        "enterprises/trainings/attendance.html",
        {
            "training": training,
            "activity": training.activity,
            "page": page,
            "rows": rows,
            "may_certify": training.kind == Training.Kind.CQO
            and services.training_finished(training),
        },
    )


@office_required
@require_POST
def certify(request, activity_id: int):
    training = _training_or_404(request, activity_id)
    try:
        certified = services.cqos_certify(training=training, acting_user=request.user)
    except PermissionDenied as denied:
        raise DjangoPermissionDenied from denied
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(n)s CQO certificates issued; certified CQOs keep their numbers.")
            % {"n": len(certified)},
        )
    return redirect("trainings_office:attendance", activity_id=training.activity_id)


def _register_filters(request) -> CqoRegisterFilterForm:
    return CqoRegisterFilterForm(request.GET, regions=office_cities(request.user))


@office_required
def cqo_register(request):
    require(request.user, CqoAction.REGISTER)
    form = _register_filters(request)
    filters = form.filters()
    qs = selectors.cqo_register(request.user, filters)
    section = None if filters.get("division") else filters.get("section")
    context = {
        "form": form,
        "page": paginate(request, qs, per_page=30),
        "counts": selectors.register_counts(qs, section=section),
        "per_division": section is not None,
    }
    return render(request, "enterprises/trainings/register_list.html", context)


@office_required
def cqo_register_export(request):
    require(request.user, CqoAction.REGISTER)
    qs = selectors.cqo_register(request.user, _register_filters(request).filters())
    book = SpreadsheetWriter()
    sheet = book.add_sheet("首席质量官名录 CQOs", widths=[16, 10, 13, 14, 30, 22, 10, 24, 12, 12])
    sheet.append(
        [
            "证书编号 Certificate",
            "姓名 Name",
            "手机 Mobile",
            "职务 Position",
            "企业 Enterprise",
            "统一社会信用代码 USCC",
            "区 District",
            "行业 Industry",
            "任命日期 Appointed",
            "发证日期 Certified",
        ],
        bold=True,
    )
    count = 0
    for cqo in qs.iterator(chunk_size=2000):
        enterprise = cqo.enterprise
        sheet.append(
            [
                cqo.certificate_number,
                cqo.name,
                mask_mobile(cqo.mobile),
                cqo.position,
                enterprise.name,
                enterprise.uscc,
                enterprise.district.name if enterprise.district_id else "",
                f"{enterprise.industry.code} {enterprise.industry.name}"
                if enterprise.industry_id
                else "",
                cqo.appointed_on.isoformat(),
                timezone.localtime(cqo.certified_at).strftime("%Y-%m-%d")
                if cqo.certified_at
                else "",
            ]
        )
        count += 1
    audit_record(actor=request.user, event_type="cqo.register_export", rows=count)
    response = HttpResponse(book.to_bytes(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="cqo-register.xlsx"'
    return response
