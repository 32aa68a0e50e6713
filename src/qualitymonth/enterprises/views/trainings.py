"""Enterprise trainings, the enterprise's side: trainings open for registration, registering for
my enterprise (the ticket, check-in and attendance certificate are the campaigns' own), and my
enterprise's CQOs: record one with the letter of appointment, end an appointment, download a
certified CQO's certificate. The public check of a certificate number is here too."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from qualitymonth.core.body_limits import body_limit
from qualitymonth.core.media import private_file_response
from qualitymonth.core.permissions import PermissionDenied, policy
from qualitymonth.core.validators import client_int, mask_name
from qualitymonth.core.views import add_service_errors
from qualitymonth.enterprises import training_selectors as selectors
from qualitymonth.enterprises.documents import cqo_certificate_pdf
from qualitymonth.enterprises.models import ChiefQualityOfficer, Enterprise
from qualitymonth.enterprises.services import trainings as services
from qualitymonth.enterprises.training_forms import CqoForm, TrainingRegisterForm
from qualitymonth.enterprises.training_permissions import CqoAction


def _base_url(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def index(request):
    """Trainings open for registration (anyone may read the list; registering needs an
    enterprise account)."""
    trainings = list(selectors.open_trainings()[:100])
    may_register = selectors.user_enterprises(request.user).exists()
    return render(
        request,
        "enterprises/trainings/index.html",
        {"trainings": trainings, "may_register": may_register},
    )


def _open_training_or_404(activity_id: int):
    training = selectors.training_for_activity(activity_id)
    if training is None or not training.activity.is_public:
        raise Http404
    return training


@login_required
def register(request, activity_id: int):
    training = _open_training_or_404(activity_id)
    enterprises = list(selectors.user_enterprises(request.user))
    if not enterprises:
        messages.info(request, _("Claim your enterprise first; then you can register it."))
        return redirect("enterprises:claim")
    form = TrainingRegisterForm(
        request.POST or None,
        enterprises=selectors.user_enterprises(request.user),
        cqos=selectors.serving_cqos(enterprises),
        training=training,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            attendance = services.training_register(
                training=training,
                enterprise=data["enterprise"],
                cqo=data.get("cqo"),
                name=data["name"],
                mobile=data["mobile"],
                acting_user=request.user,
            )
        except PermissionDenied as denied:
            raise DjangoPermissionDenied from denied
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            registration = attendance.registration
            if registration.status == registration.Status.WAITLISTED:
                messages.info(request, _("The training is full: you are on the wait list."))
            else:
                messages.success(
                    request, _("Registered for your enterprise. Show this ticket at the door.")
                )
            return redirect(registration)
    return render(
        request,
        "enterprises/trainings/register.html",
        {
            "training": training,
            "activity": training.activity,
            "form": form,
            "state": training.activity.registration_state(),
        },
        status=400 if form.errors else 200,
    )


def _chosen_enterprise(request) -> tuple[Enterprise | None, list[Enterprise]]:
    enterprises = list(selectors.user_enterprises(request.user))
    wanted = client_int(request.GET.get("enterprise") or request.POST.get("enterprise"))
    chosen = next((e for e in enterprises if e.pk == wanted), None)
    return chosen or (enterprises[0] if enterprises else None), enterprises


def _mine_url(enterprise: Enterprise) -> str:
    return f"{reverse('trainings:mine')}?enterprise={enterprise.pk}"


@login_required
def mine(request):
    """My enterprise's trainings and CQOs (choose the enterprise when acting for several)."""
    enterprise, enterprises = _chosen_enterprise(request)
    if enterprise is None:
        messages.info(request, _("Claim your enterprise first; then you can register it."))
        return redirect("enterprises:claim")
    context = {
        "enterprise": enterprise,
        "enterprises": enterprises,
        "attendances": list(selectors.enterprise_attendances(enterprise)[:50]),
        "cqos": list(selectors.enterprise_cqos(enterprise)),
    }
    return render(request, "enterprises/trainings/mine.html", context)


@login_required
@body_limit(services.LETTER_MAX_MB)
@require_http_methods(["GET", "POST"])
def cqo_new(request):
    enterprise, _enterprises = _chosen_enterprise(request)
    if enterprise is None:
        raise Http404
    if not policy.can(request.user, CqoAction.RECORD, enterprise):
        raise DjangoPermissionDenied
    form = CqoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cqo_record(
                enterprise=enterprise, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The CQO was recorded."))
            return redirect(_mine_url(enterprise))
    return render(
        request,
        "enterprises/trainings/cqo_form.html",
        {"form": form, "enterprise": enterprise},
        status=400 if form.errors else 200,
    )


def _cqo_or_404(request, pk: int, action=CqoAction.VIEW) -> ChiefQualityOfficer:
    cqo = get_object_or_404(
        ChiefQualityOfficer.objects.select_related(
            "enterprise__region",
            "certified_by_training__activity__campaign",
            "certified_by_training__activity__organiser",
        ),
        pk=pk,
    )
    if not policy.can(request.user, action, cqo.enterprise):
        raise Http404  # another enterprise's CQO is not this person's to know of
    return cqo


@login_required
@require_http_methods(["GET", "POST"])
def cqo_end(request, pk: int):
    """End an appointment, after a confirmation page."""
    cqo = _cqo_or_404(request, pk, CqoAction.RECORD)
    if request.method == "POST":
        try:
            services.cqo_end(cqo=cqo, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The appointment has ended."))
        return redirect(_mine_url(cqo.enterprise))
    return render(request, "enterprises/trainings/cqo_end.html", {"cqo": cqo})


@login_required
def cqo_certificate(request, pk: int):
    cqo = _cqo_or_404(request, pk)
    if not cqo.certificate_number:
        raise Http404
    pdf = cqo_certificate_pdf(
        cqo,
        verify_url=_base_url(request) + reverse("trainings:verify", args=[cqo.certificate_number]),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{cqo.certificate_number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def cqo_letter(request, pk: int):
    cqo = _cqo_or_404(request, pk)
    if not cqo.appointment_letter:
        raise Http404
    return private_file_response(cqo.appointment_letter, allow_pdf=True)


def verify(request, number: str):
    """Anyone holding a certificate may check its number: the name masked, the enterprise."""
    cqo = (
        ChiefQualityOfficer.objects.select_related("enterprise", "certified_by_training__activity")
        .filter(certificate_number=number)
        .first()
    )
    return render(
        request,
        "enterprises/trainings/verify.html",
        {"cqo": cqo, "number": number, "masked_name": mask_name(cqo.name) if cqo else ""},
        status=200 if cqo else 404,
    )
