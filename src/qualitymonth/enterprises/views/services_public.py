"""The public pages of the one-stop quality-infrastructure service: what it offers, and what it
has done so far."""

from decimal import Decimal

from django.shortcuts import render
from django.urls import reverse

from qualitymonth.core.i18n import english_active
from qualitymonth.enterprises import catalogue_selectors as selectors
from qualitymonth.enterprises.models import ServiceType
from qualitymonth.enterprises.services.catalogue import MAX_WORKDAYS


def services_index(request):
    categories = selectors.catalogue(public=True)
    # The need form lives under this page (/services/new/); a visitor signs in or signs up as
    # an enterprise first, and comes back to it.
    file_need = reverse("services:index") + "new/"
    context = {
        "categories": categories,
        "file_need": file_need,
        # Where an enterprise's people sign up, prove a mobile and claim their company.
        "accounts": reverse("enterprises:start"),
        "login": f"{reverse('login')}?next={file_need}",
        "free_count": sum(1 for c in categories for t in c.service_types if not t.is_charged),
        "max_workdays": MAX_WORKDAYS,
    }
    return render(request, "enterprises/services/index.html", context)


def services_results(request):
    results = selectors.public_results()
    labels = dict(ServiceType.Category.choices)
    rows = [
        {"label": labels[value], **_money(results["categories"][value])}
        for value in ServiceType.Category.values
        if value in results["categories"]
    ]
    english = english_active()
    named = [
        {
            "enterprise": item["enterprise"],
            "service": (english and item["service_en"]) or item["service"],
        }
        for item in results["named"]
    ]
    context = {"total": _money(results["total"]), "rows": rows, "named": named}
    return render(request, "enterprises/services/results.html", context)


def _money(row: dict) -> dict:
    # Cached as text (exact in any cache backend); shown as a number.
    return {**row, "saved": Decimal(row["saved"])}
