"""The dashboard pages: the office's and a unit's dashboard, the large screen and its data, the
Excel exports of every chart, table and the scoreboard, and the public results page."""

import re
from dataclasses import dataclass

from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qualitymonth.campaigns.models import Campaign
from qualitymonth.core.figures import Filters
from qualitymonth.core.permissions import policy
from qualitymonth.core.spreadsheets import SpreadsheetWriter
from qualitymonth.core.views import office_required, require
from qualitymonth.dashboard import selectors
from qualitymonth.dashboard.forms import DashboardFilterForm
from qualitymonth.dashboard.permissions import DashboardAction, scope_for

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_COLUMNS = 20  # scoreboard columns asked for; more than any provider offers


@dataclass
class Asked:
    """A dashboard request read: the campaign, the person's scope, the filter form."""

    campaign: Campaign
    campaigns: list[Campaign]
    scope: frozenset[int] | None
    form: DashboardFilterForm
    filters: Filters
    columns: list[str]
    sort: str | None

    @property
    def query(self) -> str:
        """The campaign, the valid filters and the scoreboard's choice, for links."""
        from urllib.parse import urlencode

        pairs = [("campaign", self.campaign.slug), *self.filters.as_query().items()]
        pairs += [("columns", c) for c in self.columns]
        if self.sort:
            pairs.append(("sort", self.sort))
        return urlencode(pairs)


def _asked(request) -> Asked | None:
    campaigns = selectors.viewable_campaigns(request.user)
    campaign = selectors.chosen_campaign(campaigns, request.GET.get("campaign"))
    if campaign is None:
        return None
    require(request.user, DashboardAction.VIEW, campaign)
    scope = scope_for(request.user, campaign)
    form = DashboardFilterForm(
        request.GET, campaign=campaign, units=selectors.filter_units(campaign, scope)
    )
    form.is_valid()
    columns = [
        c for c in request.GET.getlist("columns")[:MAX_COLUMNS] if re.fullmatch(r"[-\w]{1,60}", c)
    ]
    sort = request.GET.get("sort") or None
    if sort and not re.fullmatch(r"[-\w]{1,60}", sort):
        sort = None
    return Asked(
        campaign=campaign,
        campaigns=list(campaigns),
        scope=scope,
        form=form,
        filters=form.filters(),
        columns=columns,
        sort=sort,
    )


def _no_campaign(request):
    return render(request, "dashboard/no_campaign.html", status=404)


@office_required
def home(request):
    asked = _asked(request)
    if asked is None:
        return _no_campaign(request)
    data = selectors.office_dashboard(
        asked.campaign,
        filters=asked.filters,
        scope=asked.scope,
        columns=asked.columns,
        sort=asked.sort,
    )
    charts = [chart for section in data["sections"] for chart in section["charts"]]
    context = {
        "asked": asked,
        "campaign": asked.campaign,
        "form": asked.form,
        "data": data,
        "charts_json": [c for c in charts if not c["empty"]],
        "is_unit_view": asked.scope is not None,
        "own_units": selectors.filter_units(asked.campaign, asked.scope)
        if asked.scope is not None
        else [],
        "can_report": policy.can(request.user, DashboardAction.REPORT, asked.campaign),
        "chosen_columns": {c["key"] for c in data["scoreboard"]["columns"]}
        if data["scoreboard"]
        else set(),
    }
    return render(request, "dashboard/home.html", context, status=400 if asked.form.errors else 200)


@office_required
def screen(request):
    asked = _asked(request)
    if asked is None:
        return _no_campaign(request)
    if asked.form.errors:  # as the data it refreshes from would answer: refused, not ignored
        return render(
            request,
            "dashboard/no_campaign.html",
            {"asked": asked, "errors": asked.form.errors},
            status=400,
        )
    data = selectors.office_dashboard(asked.campaign, filters=asked.filters, scope=asked.scope)
    part = selectors.screen_part(data)
    context = {
        "asked": asked,
        "campaign": asked.campaign,
        "screen": part,
        "data_url": f"{reverse('dashboard:data')}?{asked.query}",
    }
    return render(request, "dashboard/screen.html", context)


@office_required
def data(request):
    """The large screen's figures and charts as JSON, refreshed every minute."""
    asked = _asked(request)
    if asked is None:
        raise Http404
    if asked.form.errors:
        return JsonResponse({"errors": asked.form.field_errors()}, status=400)
    data = selectors.office_dashboard(asked.campaign, filters=asked.filters, scope=asked.scope)
    return JsonResponse(selectors.screen_part(data))


def _xlsx(rows_by_sheet: list[tuple[str, list, list[list]]], name: str) -> HttpResponse:
    writer = SpreadsheetWriter()
    for title, header, rows in rows_by_sheet:
        sheet = writer.add_sheet(title, widths=[28] + [14] * max(len(header) - 1, 0))
        sheet.append(header, bold=True)
        for row in rows:
            sheet.append(row)
    response = HttpResponse(writer.to_bytes(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _about_sheet(asked: Asked, data: dict) -> tuple[str, list, list[list]]:
    """The second sheet says what the numbers are: campaign, days counted, filters."""
    form = asked.form
    rows = [
        [_("Campaign"), f"{asked.campaign.year} {asked.campaign.theme}"],
        [_("Days counted"), f"{data['since']} – {data['until']}"],
    ]
    for name in ("unit", "district", "domain", "focus_area"):
        value = form.cleaned_data.get(name)
        if value is not None:
            label = dict(form.fields[name].choices).get(str(value), "")
            rows.append([str(form.fields[name].label), str(label)])
    for name in ("from", "to"):
        if form.cleaned_data.get(name):
            rows.append([str(form.fields[name].label), form.cleaned_data[name]])
    return (
        pgettext("spreadsheet sheet", "About"),
        [pgettext("spreadsheet column", "Item"), pgettext("spreadsheet column", "Value")],
        rows,
    )


def _filters_refused(asked: Asked) -> HttpResponse:
    messages = [
        f"{asked.form.fields[name].label if name in asked.form.fields else ''}: {message}"
        for name, errors in asked.form.errors.items()
        for message in errors
    ]
    return HttpResponseBadRequest(
        _("The filters were refused: %(errors)s") % {"errors": "; ".join(messages)},
        content_type="text/plain; charset=utf-8",
    )


@office_required
def export(request, section: str, key: str):
    """One chart's or table's rows as .xlsx, with the page's filters and the person's scope."""
    asked = _asked(request)
    if asked is None:
        raise Http404
    if asked.form.errors:
        return _filters_refused(asked)
    data = selectors.office_dashboard(
        asked.campaign, filters=asked.filters, scope=asked.scope, sections=[section]
    )
    for part in data["sections"]:
        if part["key"] != section:
            continue
        for item in part["charts"] + part["tables"]:
            if item["key"] == key:
                name = f"{asked.campaign.slug}-{section}-{key}.xlsx"
                return _xlsx(
                    [(item["title"], item["header"], item["rows"]), _about_sheet(asked, data)],
                    re.sub(r"[^-\w.]", "_", name, flags=re.ASCII),
                )
    raise Http404


@office_required
def scoreboard_export(request):
    asked = _asked(request)
    if asked is None:
        raise Http404
    if asked.form.errors:
        return _filters_refused(asked)
    data = selectors.office_dashboard(
        asked.campaign,
        filters=asked.filters,
        scope=asked.scope,
        columns=asked.columns,
        sort=asked.sort,
        sections=["-"],  # the scoreboard only: no section is composed
    )
    board = data["scoreboard"]
    if board is None:
        raise Http404
    header = [_("Rank"), _("Unit")] + [
        f"{c['label']} ({c['unit']})" if c["unit"] else c["label"] for c in board["columns"]
    ]
    rows = [[row["rank"], row["unit"], *row["values"]] for row in board["rows"]]
    return _xlsx(
        [(_("Unit scoreboard"), header, rows), _about_sheet(asked, data)],
        f"{asked.campaign.slug}-scoreboard.xlsx",
    )


def results(request, slug: str):
    """质量月成效: the campaign in numbers for everyone; cached, no personal data."""
    campaign = get_object_or_404(
        Campaign.objects.select_related("region", "lead_unit"), slug=slug, is_published=True
    )
    data = selectors.public_results(campaign)
    charts = [chart for section in data["sections"] for chart in section["charts"]]
    context = {
        "campaign": campaign,
        "data": data,
        "charts_json": [c for c in charts if not c["empty"]],
        "cache_minutes": selectors.RESULTS_CACHE_SECONDS // 60,
    }
    return render(request, "dashboard/results.html", context)
