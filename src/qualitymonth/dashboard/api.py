"""The dashboard's figures through the API (the office's and units' data, the public results)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.security import django_auth

from qualitymonth.api.errors import errors
from qualitymonth.campaigns.models import Campaign
from qualitymonth.core.permissions import policy
from qualitymonth.dashboard import selectors
from qualitymonth.dashboard.forms import DashboardFilterForm
from qualitymonth.dashboard.permissions import DashboardAction, scope_for
from qualitymonth.dashboard.schemas import DashboardOut, DashboardQueryIn, ResultsOut

router = Router(tags=["dashboard"])


@router.get(
    "/office/dashboard/{slug}",
    response={200: DashboardOut, **errors(400)},
    auth=django_auth,
    summary="A campaign's dashboard: figures, charts, tables and the unit scoreboard",
    description=(
        "The office sees the whole campaign; a unit's staff see their own units' figures and the "
        "scoreboard with their row marked. A filter value that is not one of the campaign's "
        "(or, for a unit, not one of its own units) is refused with 400, naming the field."
    ),
)
def dashboard(request, slug: str, query: Query[DashboardQueryIn]):
    policy.require(request.user, DashboardAction.VIEW)  # a citizen: 403, whatever the slug
    campaign = selectors.viewable_campaigns(request.user).filter(slug=slug[:60]).first()
    if campaign is None:
        raise Http404
    policy.require(request.user, DashboardAction.VIEW, campaign)
    scope = scope_for(request.user, campaign)
    values = query.model_dump(by_alias=True, exclude={"columns", "sort"})
    form = DashboardFilterForm(
        {k: v for k, v in values.items() if v is not None},
        campaign=campaign,
        units=selectors.filter_units(campaign, scope),
    )
    if not form.is_valid():
        raise ValidationError(
            {name: messages for name, messages in form.field_errors().items()},
            code="invalid",
        )
    return selectors.office_dashboard(
        campaign,
        filters=form.filters(),
        scope=scope,
        columns=query.columns[:20],
        sort=query.sort,
    )


@router.get(
    "/campaigns/{slug}/results",
    response=ResultsOut,
    summary="质量月成效: a campaign's public results (cached a few minutes)",
)
def results(request, slug: str):
    campaign = get_object_or_404(Campaign, slug=slug[:60], is_published=True)
    return selectors.public_results(campaign)
