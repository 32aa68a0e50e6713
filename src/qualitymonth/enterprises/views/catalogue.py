"""The office's pages of the one-stop service catalogue: the service types by category, one
type's terms and providers, and the providers (institutions and experts)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from qualitymonth.core.views import add_service_errors, office_required, paginate, require
from qualitymonth.enterprises import catalogue_selectors as selectors
from qualitymonth.enterprises.catalogue_forms import (
    ExpertAccountForm,
    ProviderFilterForm,
    ProviderForm,
    ServiceTypeForm,
)
from qualitymonth.enterprises.forms import RegionChoiceForm
from qualitymonth.enterprises.models import Provider, ServiceType
from qualitymonth.enterprises.permissions import NeedAction
from qualitymonth.enterprises.selectors import office_cities
from qualitymonth.enterprises.services import catalogue as services


@office_required
def catalogue(request):
    require(request.user, NeedAction.CATALOGUE_MANAGE)
    return render(
        request,
        "enterprises/catalogue/catalogue.html",
        {"categories": selectors.catalogue(public=False)},
    )


@office_required
@require_http_methods(["GET", "POST"])
def service_type_edit(request, code: str):
    require(request.user, NeedAction.CATALOGUE_MANAGE)
    service_type = get_object_or_404(ServiceType, code=code)
    providers = selectors.providers_for_office(request.user).order_by("kind", "name")
    form = ServiceTypeForm(
        request.POST or None,
        providers=providers,
        initial=ServiceTypeForm.initial_for(service_type, providers),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.service_type_update(
                acting_user=request.user, service_type=service_type, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Service type saved."))
            return redirect("needs_office:catalogue")
    return render(
        request,
        "enterprises/catalogue/service_type.html",
        {"form": form, "service_type": service_type},
        status=400 if request.method == "POST" else 200,
    )


@office_required
def providers(request):
    require(request.user, NeedAction.CATALOGUE_MANAGE)
    filters = ProviderFilterForm(request.GET)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.office_providers(
        request.user, query=data.get("q", ""), kind=data.get("kind", "")
    )
    return render(
        request,
        "enterprises/catalogue/providers.html",
        {"page": paginate(request, qs, per_page=30), "filters": filters},
    )


@office_required
@require_http_methods(["GET", "POST"])
def provider_new(request, kind: str):
    if kind not in Provider.Kind.values:
        return redirect("needs_office:providers")
    require(request.user, NeedAction.CATALOGUE_MANAGE)
    post = request.POST or None
    form = ProviderForm(post)
    account = ExpertAccountForm(post) if kind == Provider.Kind.EXPERT else None
    where = RegionChoiceForm(post, regions=office_cities(request.user))
    if request.method == "POST":
        forms_valid = [f.is_valid() for f in (form, account, where) if f is not None]
        if all(forms_valid):
            try:
                provider = services.provider_create(
                    acting_user=request.user,
                    region=where.cleaned_data["region"],
                    kind=kind,
                    data=form.cleaned_data,
                    service_types=form.cleaned_data["service_types"],
                    username=account.cleaned_data["username"] if account else "",
                )
            except ValidationError as error:
                if account is not None and "username" in getattr(error, "error_dict", {}):
                    add_service_errors(account, error)
                else:
                    add_service_errors(form, error)
            else:
                messages.success(request, _("Provider added."))
                return redirect("needs_office:provider", provider.pk)
    context = {"form": form, "account": account, "where": where, "kind": kind, "provider": None}
    return render(
        request,
        "enterprises/catalogue/provider_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@office_required
@require_http_methods(["GET", "POST"])
def provider_edit(request, pk: int):
    # Staff who keep no catalogue are refused; another city's provider is "not found".
    require(request.user, NeedAction.CATALOGUE_MANAGE)
    provider = get_object_or_404(
        selectors.providers_for_office(request.user).select_related("region", "unit", "user"),
        pk=pk,
    )
    require(request.user, NeedAction.CATALOGUE_MANAGE, provider)
    initial = {
        "name": provider.name,
        "name_en": provider.name_en,
        "specialties": provider.specialties,
        "is_active": provider.is_active,
        "service_types": list(provider.service_types.values_list("pk", flat=True)),
    }
    form = ProviderForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.provider_update(
                acting_user=request.user,
                provider=provider,
                data=form.cleaned_data,
                service_types=form.cleaned_data["service_types"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Provider saved."))
            return redirect("needs_office:providers")
    context = {"form": form, "account": None, "where": None, "kind": provider.kind}
    context["provider"] = provider
    return render(
        request,
        "enterprises/catalogue/provider_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )
