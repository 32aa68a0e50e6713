"""Enterprise trainings and the CQO register through the API: the same services as the pages
(the same rights, checks and audit trail). Paths are written in full (mounted at "/")."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Status, UploadedFile
from ninja.pagination import paginate
from ninja.security import django_auth

from qualitymonth.api.errors import errors
from qualitymonth.core.body_limits import body_limit
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.permissions import PermissionDenied, policy
from qualitymonth.core.schemas import Line
from qualitymonth.core.validators import DbInt
from qualitymonth.enterprises import training_selectors as selectors
from qualitymonth.enterprises.models import ChiefQualityOfficer, Enterprise
from qualitymonth.enterprises.selectors import office_cities
from qualitymonth.enterprises.services import trainings as services
from qualitymonth.enterprises.training_forms import CqoRegisterFilterForm
from qualitymonth.enterprises.training_permissions import CqoAction, TrainingAction
from qualitymonth.enterprises.training_schemas import (
    AttendanceOut,
    CertifiedOut,
    CqoOut,
    CqoRegisterFilterIn,
    RegisterCqoOut,
    TrainingOut,
    TrainingRegistrationIn,
)

router = Router(tags=["trainings"], auth=django_auth)


def _enterprise(request, enterprise_id: int, action: str) -> Enterprise:
    enterprise = Enterprise.objects.select_related("region").filter(pk=enterprise_id).first()
    if enterprise is None or not policy.can(request.user, CqoAction.VIEW, enterprise):
        raise Http404  # another enterprise is not this client's to know of
    policy.require(request.user, action, enterprise)
    return enterprise


@router.get(
    "/trainings",
    response=list[TrainingOut],
    summary="Enterprise trainings taking registrations now, soonest first",
)
@paginate(Pagination, page_size=50)
def training_list(request):
    return selectors.open_trainings()


@router.post(
    "/trainings/{activity_id}/registrations",
    response={201: AttendanceOut, **errors(400, 409)},
    summary="Register someone for one of my enterprises (wait-listed when full)",
    description="For a CQO training, `cqo_id` registers one of the enterprise's CQOs; otherwise "
    "give `name` and `mobile`. The ticket is the activity's own (check-in, certificate).",
)
def training_register(request, activity_id: DbInt, body: TrainingRegistrationIn):
    training = selectors.training_for_activity(activity_id)
    if training is None or not training.activity.is_public:
        raise Http404
    enterprise = Enterprise.objects.filter(pk=body.enterprise_id).first()
    if enterprise is None:
        raise ValidationError({"enterprise_id": _("No such enterprise.")})
    policy.require(request.user, TrainingAction.ATTEND, enterprise)
    cqo = None
    if body.cqo_id is not None:
        cqo = ChiefQualityOfficer.objects.filter(pk=body.cqo_id, enterprise=enterprise).first()
        if cqo is None:
            raise ValidationError({"cqo_id": _("Choose a serving CQO of this enterprise.")})
    try:
        attendance = services.training_register(
            training=training,
            enterprise=enterprise,
            cqo=cqo,
            name=body.name,
            mobile=body.mobile,
            acting_user=request.user,
        )
    except ValidationError as error:
        if hasattr(error, "error_dict") and "cqo" in error.error_dict:
            raise ValidationError({"cqo_id": error.error_dict["cqo"]}) from None
        raise
    return Status(201, attendance)


@router.get(
    "/enterprises/{enterprise_id}/cqos",
    response=list[CqoOut],
    summary="An enterprise's CQOs (its users, the office of its region, its steward)",
)
@paginate(Pagination, page_size=50)
def cqo_list(request, enterprise_id: DbInt):
    return selectors.enterprise_cqos(_enterprise(request, enterprise_id, CqoAction.VIEW))


@router.post(
    "/enterprises/{enterprise_id}/cqos",
    response={201: CqoOut, **errors(400, 409)},
    summary="Record the CQO the legal representative appointed (multipart; the letter is "
    "optional, a PDF or picture up to 5 MB)",
)
@body_limit(services.LETTER_MAX_MB)
def cqo_create(
    request,
    enterprise_id: DbInt,
    name: Form[Line],
    mobile: Form[Line],
    position: Form[Line],
    appointed_on: Form[dt.date],
    appointment_letter: File[UploadedFile | None] = None,
):
    cqo = services.cqo_record(
        enterprise=_enterprise(request, enterprise_id, CqoAction.RECORD),
        name=name,
        mobile=mobile,
        position=position,
        appointed_on=appointed_on,
        appointment_letter=appointment_letter,
        acting_user=request.user,
    )
    return Status(201, cqo)


@router.get(
    "/office/cqos",
    response=list[RegisterCqoOut],
    summary="The register of trained CQOs of the office's regions (mobiles masked)",
)
@paginate(Pagination, page_size=50)
def cqo_register(request, filters: Query[CqoRegisterFilterIn]):
    if not policy.can(request.user, CqoAction.REGISTER):
        raise PermissionDenied(CqoAction.REGISTER)
    form = CqoRegisterFilterForm(filters.model_dump(), regions=office_cities(request.user))
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return selectors.cqo_register(request.user, form.filters())


@router.post(
    "/office/trainings/{activity_id}/certificates",
    response={200: CertifiedOut, **errors(409)},
    summary="Issue CQO certificates after a CQO training (those certified keep their numbers)",
)
def training_certify(request, activity_id: DbInt):
    training = selectors.training_for_activity(activity_id)
    if training is None or not policy.can(request.user, TrainingAction.MANAGE, training.activity):
        raise Http404
    certified = services.cqos_certify(training=training, acting_user=request.user)
    return {"certified": len(certified), "numbers": [c.certificate_number for c in certified]}
