"""The office's pages of the enterprise registry: the list, one enterprise, add and change,
the steward, and the Excel import and export."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qualitymonth.core.audit import mask_mobiles
from qualitymonth.core.body_limits import body_limit
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import mask_mobile, mask_name
from qualitymonth.core.views import add_service_errors, office_required, paginate, require
from qualitymonth.enterprises import problems, selectors, timeline
from qualitymonth.enterprises.forms import (
    EnterpriseFilterForm,
    EnterpriseForm,
    EnterpriseImportForm,
    RegionChoiceForm,
    StewardForm,
)
from qualitymonth.enterprises.models import Enterprise
from qualitymonth.enterprises.permissions import Action, NeedAction
from qualitymonth.enterprises.services import imports, registry

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _managed(request, pk: int) -> Enterprise:
    """An enterprise of the office's registry; another region's is "not found", as it is in
    the list."""
    enterprise = get_object_or_404(
        selectors.enterprises_for_office(request.user).select_related("region"), pk=pk
    )
    require(request.user, Action.MANAGE, enterprise)
    return enterprise


def _filter_form(request) -> EnterpriseFilterForm:
    return EnterpriseFilterForm(request.GET, regions=selectors.office_cities(request.user))


@office_required
def enterprise_list(request):
    require(request.user, Action.MANAGE)
    filters = _filter_form(request)
    qs = selectors.office_enterprises(user=request.user, filters=filters.filters())
    context = {"page": paginate(request, qs, per_page=30), "filters": filters}
    return render(request, "enterprises/office/list.html", context)


@office_required
def enterprise_detail(request, pk: int):
    # The office of its region and its quality steward see the page.
    visible = selectors.enterprises_for_office(request.user) | Enterprise.objects.filter(
        Q(steward=request.user)
    )
    enterprise = get_object_or_404(
        visible.select_related("region", "district", "industry__section", "steward"), pk=pk
    )
    require(request.user, Action.VIEW, enterprise)
    can_manage = policy.can(request.user, Action.MANAGE, enterprise)
    members = list(selectors.enterprise_members(enterprise))
    claims = list(selectors.enterprise_claims(enterprise))
    for item in [*members, *claims]:
        item.masked_name = _person(item.user)
    for claim in claims:
        claim.masked_mobile = mask_mobile(claim.mobile)
    context = {
        "enterprise": enterprise,
        "can_manage": can_manage,
        "complaint_count": selectors.complaints_naming_count(enterprise),
        # Complaints have their own badge; what the other apps add comes after it.
        "problems": [
            (label, n) for name, label, n in problems.breakdown(enterprise) if name != "complaints"
        ],
        "timeline": timeline.for_enterprise(enterprise, link_complaints=can_manage),
        "may_file_need": policy.can(request.user, NeedAction.FILE, enterprise),
        "members": members,
        "claims": claims,
        "contact_name": mask_name(enterprise.contact_name),
        "contact_mobile": mask_mobile(enterprise.contact_mobile),
        "steward_form": StewardForm(
            initial={"steward": enterprise.steward_id},
            candidates=registry.steward_candidates(request.user),
        )
        if can_manage
        else None,
    }
    return render(request, "enterprises/office/detail.html", context)


def _person(user) -> str:
    # A username may be the person's mobile number.
    return mask_name(user.get_full_name()) or mask_mobiles(user.get_username())


@office_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request, pk: int | None = None):
    if pk is None:
        require(request.user, Action.MANAGE)
        enterprise = None
    else:
        enterprise = _managed(request, pk)
    cities = selectors.office_cities(request.user)
    regions = [enterprise.region] if enterprise else cities
    form = EnterpriseForm(request.POST or None, instance=enterprise, regions=regions)
    where = None if enterprise else RegionChoiceForm(request.POST or None, regions=cities)
    if request.method == "POST":
        valid = form.is_valid()
        if where is not None and not where.is_valid():
            valid = False
        if valid:
            try:
                if enterprise is None:
                    saved = registry.enterprise_create(
                        acting_user=request.user,
                        region=where.cleaned_data["region"],
                        data=form.service_data(),
                    )
                else:
                    saved = registry.enterprise_update(
                        acting_user=request.user, enterprise=enterprise, data=form.service_data()
                    )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Enterprise saved."))
                return redirect("enterprises_office:detail", saved.pk)
    return render(
        request,
        "enterprises/office/form.html",
        {"form": form, "where": where, "enterprise": enterprise},
        status=400 if request.method == "POST" else 200,
    )


@office_required
@require_POST
def enterprise_steward(request, pk: int):
    enterprise = _managed(request, pk)
    form = StewardForm(request.POST, candidates=registry.steward_candidates(request.user))
    if form.is_valid():
        try:
            registry.enterprise_assign_steward(
                acting_user=request.user,
                enterprise=enterprise,
                steward=form.cleaned_data["steward"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Quality steward saved."))
    else:
        messages.error(request, _("Choose a staff member of a unit in your region."))
    return redirect("enterprises_office:detail", enterprise.pk)


@body_limit(5)
@office_required
@require_http_methods(["GET", "POST"])
def enterprise_import(request):
    require(request.user, Action.MANAGE)
    cities = selectors.office_cities(request.user)
    form = EnterpriseImportForm(request.POST or None, request.FILES or None, regions=cities)
    result = None
    if request.method == "POST" and form.is_valid():
        result = imports.enterprises_import(
            acting_user=request.user,
            region=form.cleaned_data["region"],
            file=form.cleaned_data["file"],
        )
        if result.ok:
            messages.success(
                request,
                _("Imported: %(created)s new enterprises, %(updated)s updated.")
                % {"created": len(result.created), "updated": len(result.updated)},
            )
            return redirect("enterprises_office:list")
    status = 400 if (form.errors or (result and not result.ok)) else 200
    return render(
        request, "enterprises/office/import.html", {"form": form, "result": result}, status=status
    )


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@office_required
def import_template(request):
    require(request.user, Action.MANAGE)
    city = selectors.office_cities(request.user).first()
    if city is None:
        raise Http404
    return _xlsx(imports.import_template(city), "enterprises-template.xlsx")


@office_required
def enterprise_export(request):
    require(request.user, Action.MANAGE)
    qs = selectors.office_enterprises(user=request.user, filters=_filter_form(request).filters())
    try:
        content = imports.enterprises_export(acting_user=request.user, enterprises=qs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        query = request.GET.urlencode()
        return redirect(reverse("enterprises_office:list") + (f"?{query}" if query else ""))
    return _xlsx(content, "enterprises.xlsx")
