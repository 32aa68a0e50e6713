"""The GB/T 19580 self-assessment through the API: an enterprise's members write, read and
submit theirs; the office and the experts list and review. The same services as the pages."""

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Query, Router
from ninja.pagination import paginate
from ninja.security import django_auth

from qualitymonth.api.errors import errors
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.permissions import PermissionDenied, policy
from qualitymonth.core.validators import DbInt
from qualitymonth.enterprises import excellence_selectors as selectors
from qualitymonth.enterprises.excellence_forms import SelfAssessmentFilterForm
from qualitymonth.enterprises.excellence_permissions import ExcellenceAction
from qualitymonth.enterprises.excellence_schemas import (
    ReviewIn,
    SelfAssessmentFilterIn,
    SelfAssessmentIn,
    SelfAssessmentListOut,
    SelfAssessmentOut,
    draft_scores,
    review_adjustments,
)
from qualitymonth.enterprises.models import Enterprise, SelfAssessment
from qualitymonth.enterprises.services import excellence as services

router = Router(tags=["self-assessment (GB/T 19580)"], auth=django_auth)
S = SelfAssessment.Status


def _enterprise(enterprise_id: int) -> Enterprise:
    found = Enterprise.objects.select_related("region").filter(pk=enterprise_id).first()
    if found is None:
        raise Http404
    return found


def _assessment(request, pk: int) -> SelfAssessment:
    found = selectors.assessment_for(request.user, pk)
    if found is None:
        raise Http404
    return found


def _fresh(assessment: SelfAssessment) -> SelfAssessment:
    return (
        SelfAssessment.objects.select_related("enterprise")
        .prefetch_related("scores")
        .get(pk=assessment.pk)
    )


@router.get(
    "/enterprises/{enterprise_id}/self-assessments",
    response=list[SelfAssessmentOut],
    summary="An enterprise's self-assessments, newest year first",
    description="Members see drafts too; the office, the steward and experts what was handed in.",
)
def self_assessment_list(request, enterprise_id: DbInt):
    enterprise = _enterprise(enterprise_id)
    policy.require(request.user, ExcellenceAction.VIEW, enterprise)
    found = selectors.enterprise_assessments(enterprise)
    member = enterprise.members.filter(user=request.user).exists()
    if not (member or policy.office_covers(request.user, enterprise.region)):
        found = [a for a in found if a.status != S.DRAFT]
    return found


@router.put(
    "/enterprises/{enterprise_id}/self-assessments/{year}",
    response={200: SelfAssessmentOut, **errors(400, 409)},
    summary="Create or replace the year's draft (members of the enterprise)",
    description="Each score from 0 to its category's points, one decimal at most.",
)
def self_assessment_put(request, enterprise_id: DbInt, year: int, body: SelfAssessmentIn):
    assessment = services.self_assessment_save(
        enterprise=_enterprise(enterprise_id),
        year=year,
        scores=draft_scores(body),
        acting_user=request.user,
    )
    return _fresh(assessment)


@router.post(
    "/enterprises/{enterprise_id}/self-assessments/{year}/submit",
    response={200: SelfAssessmentOut, **errors(400, 409)},
    summary="Submit the year's draft for review (every category scored)",
)
def self_assessment_submit(request, enterprise_id: DbInt, year: int):
    enterprise = _enterprise(enterprise_id)
    policy.require(request.user, ExcellenceAction.VIEW, enterprise)
    assessment = enterprise.self_assessments.filter(year=year).first() if 0 < year < 10000 else None
    if assessment is None:
        raise Http404
    services.self_assessment_submit(assessment=assessment, acting_user=request.user)
    return _fresh(assessment)


@router.get(
    "/office/self-assessments",
    response=list[SelfAssessmentListOut],
    summary="Self-assessments for the office (all of its regions) and experts (handed in)",
)
@paginate(Pagination, page_size=50)
def office_self_assessment_list(request, filters: Query[SelfAssessmentFilterIn]):
    if not policy.can(request.user, ExcellenceAction.VIEW, None):
        raise PermissionDenied(ExcellenceAction.REVIEW)
    form = SelfAssessmentFilterForm(filters.model_dump())
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return selectors.office_assessments(request.user, form.filters())


@router.post(
    "/office/self-assessments/{assessment_id}/review",
    response={200: SelfAssessmentOut, **errors(400, 409)},
    summary="Review a submitted self-assessment, adjusting scores with a note each",
)
def office_self_assessment_review(request, assessment_id: DbInt, body: ReviewIn):
    assessment = _assessment(request, assessment_id)
    services.self_assessment_review(
        assessment=assessment,
        adjustments=review_adjustments(body),
        note=body.note,
        acting_user=request.user,
    )
    return _fresh(assessment)
