"""The product spot checks through the API: the unit's plans, sampling, the steps of a sample and
publishing the results notice (the same services, rights and audit trail as the pages); the
enterprise's own samples and its re-test request; the published notices. A plan or sample the
caller may not see is "not found"."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from qualitymonth.api.errors import errors
from qualitymonth.campaigns.models import Campaign
from qualitymonth.core.models import Unit
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.permissions import policy
from qualitymonth.core.schemas import InputSchema, Line
from qualitymonth.core.validators import DbInt, mask_numbers_in_text
from qualitymonth.enterprises.models import Enterprise
from qualitymonth.supervision import spotcheck_selectors as selectors
from qualitymonth.supervision.models import Sample
from qualitymonth.supervision.permissions import SupervisionAction
from qualitymonth.supervision.services import spotchecks as services
from qualitymonth.supervision.spotcheck_schemas import (
    MySampleOut,
    PlanDetailOut,
    PlanFilterIn,
    PublicPlanDetailOut,
    PublicPlanOut,
    ReceivedIn,
    RecheckIn,
    RetestResultIn,
    SampleIn,
    SampleOut,
    SampleResultIn,
    SpotCheckPlanIn,
    SpotCheckPlanOut,
    SpotCheckPublishIn,
)

router = Router(tags=["supervision"], auth=django_auth)
OFFICE = "/office/supervision"
DETAIL_SAMPLES = 1000


class RetestDaysPagination(Pagination):
    """The page's samples learn their city's re-test days once per plan."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        result = super().paginate_queryset(queryset, pagination, request, **params)
        result[self.items_attribute] = selectors.with_retest_days(result[self.items_attribute])
        return result


class OpenedPagination(Pagination):
    """The enterprise reads the results of the page: those not yet received are received now."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        result = super().paginate_queryset(queryset, pagination, request, **params)
        opened = [
            services.sample_opened(sample=sample, acting_user=request.user)
            if sample.received_on is None and sample.outcome != Sample.Outcome.PENDING
            else sample
            for sample in result[self.items_attribute]
        ]
        result[self.items_attribute] = selectors.with_retest_days(opened)
        return result


class PublicFilterIn(InputSchema):
    q: Line = ""
    year: int | None = None


# --- helpers -------------------------------------------------------------------------------------
def _plan(request, plan_id: int):
    found = selectors.plan_for(request.user, plan_id)
    if found is None:
        raise Http404
    return found


def _sample(request, number: str) -> Sample:
    found = selectors.sample_for(request.user, number)
    if found is None:
        raise Http404
    return found


def _detail(plan):
    plan = selectors.with_counts(type(plan).objects.filter(pk=plan.pk)).select_related(
        "region", "unit", "campaign"
    )[0]
    published = plan.status == plan.Status.PUBLISHED
    plan.publish_blockers = [] if published else selectors.publish_blockers(plan)
    plan.figures = selectors.plan_figures(plan)
    plan.sample_list = selectors.with_retest_days(
        selectors.plan_samples(plan).select_related("plan__region")[:DETAIL_SAMPLES]
    )
    return plan


def _sample_out(sample: Sample) -> Sample:
    return selectors.with_retest_days([sample])[0]


# --- the back office -----------------------------------------------------------------------------
@router.get(
    f"{OFFICE}/spot-checks",
    response=list[SpotCheckPlanOut],
    summary="The spot-check plans I work on, with their sample counts, newest year first",
)
@paginate(Pagination, page_size=20)
def plan_list(request, filters: Query[PlanFilterIn]):
    policy.require(request.user, SupervisionAction.WORK)
    return selectors.office_plans(
        request.user, query=filters.q, year=filters.year, status=filters.status
    )


@router.post(
    f"{OFFICE}/spot-checks",
    response={201: PlanDetailOut, **errors(400)},
    summary="Make a spot-check plan of a unit for product categories of its city",
)
def plan_create(request, body: SpotCheckPlanIn):
    policy.require(request.user, SupervisionAction.WORK)
    unit = Unit.objects.select_related("region").filter(code=body.unit, is_active=True).first()
    if unit is None:
        raise ValidationError({"unit": _("No such unit.")})
    region = selectors.city_of(unit.region)
    by_code = {c.code: c for c in selectors.creatable_categories(region)}
    unknown = [code for code in body.categories if code not in by_code]
    if unknown:
        raise ValidationError({"categories": _("No such product category: %s") % unknown[0][:40]})
    campaign = None
    if body.campaign:
        campaign = Campaign.objects.select_related("region").filter(slug=body.campaign).first()
        if campaign is None:
            raise ValidationError({"campaign": _("No such campaign.")})
    plan = services.spot_check_plan_create(
        unit=unit,
        year=body.year,
        title=body.title,
        categories=[by_code[code] for code in body.categories],
        laboratory=body.laboratory,
        campaign=campaign,
        acting_user=request.user,
    )
    return Status(201, _detail(plan))


@router.get(
    f"{OFFICE}/spot-checks/{{plan_id}}",
    response=PlanDetailOut,
    summary="One plan: its figures, what stands in the way of its notice, and its samples",
)
def plan_detail(request, plan_id: DbInt):
    return _detail(_plan(request, plan_id))


@router.post(
    f"{OFFICE}/spot-checks/{{plan_id}}/samples",
    response={201: SampleOut, **errors(400, 409)},
    summary="Record a sample taken at random (free of charge) from an enterprise",
    description="The enterprise is named by its unified social credit code; the number "
    "S<year>-NNNNN is given by the day it was sampled.",
)
def sample_create(request, plan_id: DbInt, body: SampleIn):
    plan = _plan(request, plan_id)
    enterprise = (
        Enterprise.objects.select_related("region")
        .filter(uscc=body.enterprise.strip().upper())
        .first()
    )
    if enterprise is None:
        policy.require(request.user, SupervisionAction.WORK, plan)
        raise ValidationError({"enterprise": _("No enterprise has this code in the registry.")})
    category = plan.categories.filter(code=body.category).first()
    sample = services.sample_add(
        plan=plan,
        enterprise=enterprise,
        category=category,
        product=body.product,
        brand=body.brand,
        model_spec=body.model_spec,
        batch=body.batch,
        quantity=body.quantity,
        seal_number=body.seal_number,
        sampled_on=body.sampled_on,
        acting_user=request.user,
    )
    return Status(201, _sample_out(sample))


@router.post(
    f"{OFFICE}/samples/{{number}}/result",
    response={200: SampleOut, **errors(400, 409)},
    summary="The laboratory's result: passed, or failed with its items and a deadline",
    description="The enterprise's users are told.",
)
def sample_result(request, number: Line, body: SampleResultIn):
    sample = services.sample_result_record(
        sample=_sample(request, number),
        outcome=body.outcome,
        failed_items=body.failed_items,
        result_on=body.result_on,
        rectify_by=body.rectify_by,
        acting_user=request.user,
    )
    return _sample_out(sample)


@router.post(
    f"{OFFICE}/samples/{{number}}/received",
    response={200: SampleOut, **errors(400, 409)},
    summary="The day the enterprise received the result: the re-test window runs from it",
)
def sample_received(request, number: Line, body: ReceivedIn):
    sample = services.sample_received_record(
        sample=_sample(request, number), received_on=body.received_on, acting_user=request.user
    )
    return _sample_out(sample)


@router.post(
    f"{OFFICE}/samples/{{number}}/retest-result",
    response={200: SampleOut, **errors(400, 409)},
    summary="The re-test's result, which replaces the first",
)
def sample_retest_result(request, number: Line, body: RetestResultIn):
    sample = services.sample_retest_result_record(
        sample=_sample(request, number),
        outcome=body.outcome,
        failed_items=body.failed_items,
        retest_on=body.retest_on,
        rectify_by=body.rectify_by,
        acting_user=request.user,
    )
    return _sample_out(sample)


@router.post(
    f"{OFFICE}/samples/{{number}}/recheck",
    response={200: SampleOut, **errors(400, 409)},
    summary="The re-check of a failed sample after its rectification order",
)
def sample_recheck(request, number: Line, body: RecheckIn):
    sample = services.sample_recheck_record(
        sample=_sample(request, number),
        outcome=body.outcome,
        recheck_on=body.recheck_on,
        acting_user=request.user,
    )
    return _sample_out(sample)


@router.post(
    f"{OFFICE}/spot-checks/{{plan_id}}/publish",
    response={200: PlanDetailOut, **errors(400, 409)},
    summary="Publish the plan's results notice",
    description="Only when every sample has its final result and no re-test window is open "
    "(409 `too_early`, saying what is missing). An empty notice takes the generated text.",
)
def plan_publish(request, plan_id: DbInt, body: SpotCheckPublishIn):
    plan = services.spot_check_plan_publish(
        plan=_plan(request, plan_id),
        notice=body.notice if body.notice.strip() else None,
        acting_user=request.user,
    )
    return _detail(plan)


# --- the enterprise's own samples ----------------------------------------------------------------
@router.get(
    "/supervision/spot-checks/mine",
    response=list[MySampleOut],
    summary="The samples of the enterprises I act for, newest first",
    description="Reading a result here is receiving it: the re-test window starts today for a "
    "result nobody recorded as received before.",
)
@paginate(OpenedPagination, page_size=20)
def my_samples(request):
    return selectors.enterprise_samples(request.user)


@router.post(
    "/supervision/samples/{number}/retest",
    response={200: MySampleOut, **errors(400, 409)},
    summary="Ask for a re-test of a failed result of my enterprise",
    description="Within the city's re-test days (15 by law) of receiving the result, calendar "
    "days; after that, 409 `closed` with the day the window closed.",
)
def my_retest(request, number: Line):
    found = selectors.enterprise_sample_for(request.user, number)
    if found is None:
        raise Http404
    sample = services.sample_retest_request(sample=found, acting_user=request.user)
    return _sample_out(sample)


# --- public --------------------------------------------------------------------------------------
@router.get(
    "/supervision/spot-checks",
    response=list[PublicPlanOut],
    auth=None,
    summary="The published spot-check results notices",
)
@paginate(Pagination, page_size=20)
def public_plans(request, filters: Query[PublicFilterIn]):
    return selectors.published_plans(query=filters.q[:60], year=filters.year)


@router.get(
    "/supervision/spot-checks/{plan_id}",
    response=PublicPlanDetailOut,
    auth=None,
    summary="One published notice: its text, failure rates and the result of every sample",
    description="Enterprises (legal persons) are named; no person is.",
)
def public_plan(request, plan_id: DbInt):
    plan = selectors.published_plan(plan_id)
    if plan is None:
        raise Http404
    plan = selectors.with_counts(type(plan).objects.filter(pk=plan.pk)).select_related("unit")[0]
    plan.notice = mask_numbers_in_text(plan.notice)  # a number typed into the notice
    plan.figures = selectors.plan_figures(plan)
    plan.sample_list = list(selectors.plan_samples(plan)[:DETAIL_SAMPLES])
    return plan
