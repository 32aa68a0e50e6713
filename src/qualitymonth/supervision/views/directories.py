"""The pages of the supervision directories: the hub, the city's rules, subjects (list, one,
add and change by kind, close after a confirmation, Excel import and export), inspectors and
their declared links, check items and product categories. The office of the city keeps them;
the work roles of its units read them."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from qualitymonth.core.body_limits import body_limit
from qualitymonth.core.permissions import policy
from qualitymonth.core.views import add_service_errors, office_required, paginate, require
from qualitymonth.supervision import directory_selectors as selectors
from qualitymonth.supervision.directory_forms import (
    KIND_FORMS,
    CategoryForm,
    CheckItemFilterForm,
    CheckItemForm,
    CloseForm,
    ImportForm,
    InspectorFilterForm,
    InspectorForm,
    InspectorNewForm,
    LinkForm,
    RulesForm,
    SearchForm,
    SubjectFilterForm,
    subject_initial,
)
from qualitymonth.supervision.models import Rules, SubjectKind
from qualitymonth.supervision.permissions import SupervisionAction
from qualitymonth.supervision.services import directories as services
from qualitymonth.supervision.services import directory_imports as imports

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 30


def _city(request, *, manage: bool = False):
    """The city the page is about (`?city=`); 403 when the user may not read (or keep) it."""
    require(request.user, SupervisionAction.VIEW)
    city = selectors.current_city(request.user, request.GET.get("city"))
    if city is None:
        raise PermissionDenied
    require(request.user, SupervisionAction.DIRECTORY if manage else SupervisionAction.VIEW, city)
    return city


def _context(request, city, **extra) -> dict:
    cities = selectors.cities_for(request.user)
    return {
        "city": city,
        "cities": cities if len(cities) > 1 else [],
        "can_manage": policy.can(request.user, SupervisionAction.DIRECTORY, city),
        **extra,
    }


def _with_city(url: str, city) -> str:
    return f"{url}?city={city.code}"


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- the hub and the rules -----------------------------------------------------------------------
@office_required
def home(request):
    city = _city(request)
    context = _context(
        request,
        city,
        counts=selectors.hub_counts(city),
        rules=Rules.for_region(city),
        is_office=policy.is_office(request.user),
    )
    return render(request, "supervision/directory/home.html", context)


@office_required
def rules_edit(request):
    city = _city(request, manage=True)
    rules = Rules.for_region(city)
    initial = services.rules_data(rules)
    form = RulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rules_update(region=city, data=form.cleaned_data, acting_user=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The city's rules were saved."))
            return redirect(_with_city(reverse("sv_directory:home"), city))
    status = 400 if form.errors else 200
    context = _context(request, city, form=form, inherited=rules.region_id != city.pk)
    return render(request, "supervision/directory/rules.html", context, status=status)


# --- subjects ------------------------------------------------------------------------------------
def _subject_or_404(request, pk, *, manage=False):
    subject = selectors.subject_for(request.user, pk)
    if subject is None:
        raise Http404
    if manage:
        require(request.user, SupervisionAction.DIRECTORY, subject)
    return subject


@office_required
def subject_list(request):
    city = _city(request)
    filters = SubjectFilterForm(request.GET or None, city=city)
    qs = selectors.subjects(city, filters=filters.filters())
    context = _context(
        request,
        city,
        filters=filters,
        page=paginate(request, qs, per_page=PER_PAGE),
        kinds=SubjectKind.choices,
        export_url=_export_url(request, city),
    )
    return render(request, "supervision/directory/subjects.html", context)


def _export_url(request, city) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    params["city"] = city.code
    return reverse("sv_directory:subject_export") + "?" + params.urlencode()


@office_required
def subject_new(request, kind: str):
    city = _city(request, manage=True)
    form_class = KIND_FORMS.get(kind)
    if form_class is None:
        raise Http404
    form = form_class(request.POST or None, city=city)
    if request.method == "POST" and form.is_valid():
        try:
            subject = services.subject_create(
                region=city, kind=kind, data=form.service_data(), acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The subject was added to the directory."))
            return redirect("sv_directory:subject", pk=subject.pk)
    status = 400 if form.errors else 200
    context = _context(
        request,
        city,
        form=form,
        kind_label=SubjectKind(kind).label,
        enterprises=_enterprise_matches(request, city, kind),
    )
    return render(request, "supervision/directory/subject_form.html", context, status=status)


def _enterprise_matches(request, city, kind):
    """The registry's enterprises matching `?find=` (the form's picker, without JS)."""
    search = (request.GET.get("find") or "").strip()[:60]
    if not search:
        return None
    return list(selectors.enterprise_choices(city, query=search).select_related("district")[:20])


@office_required
def subject_detail(request, pk: int):
    subject = _subject_or_404(request, pk)
    context = _context(
        request,
        subject.region,
        subject=subject,
        links=selectors.subject_links(subject),
        rules=Rules.for_region(subject.region),
    )
    return render(request, "supervision/directory/subject.html", context)


@office_required
def subject_edit(request, pk: int):
    subject = _subject_or_404(request, pk, manage=True)
    form_class = KIND_FORMS[subject.kind]
    form = form_class(request.POST or None, initial=subject_initial(subject), city=subject.region)
    if request.method == "POST" and form.is_valid():
        try:
            services.subject_update(
                subject=subject, data=form.service_data(), acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The subject was saved."))
            return redirect("sv_directory:subject", pk=subject.pk)
    status = 400 if form.errors else 200
    context = _context(
        request,
        subject.region,
        form=form,
        subject=subject,
        kind_label=subject.get_kind_display(),
        enterprises=_enterprise_matches(request, subject.region, subject.kind),
    )
    return render(request, "supervision/directory/subject_form.html", context, status=status)


@office_required
def subject_close(request, pk: int):
    """GET: the confirmation with the day and the reason; POST: closed."""
    subject = _subject_or_404(request, pk, manage=True)
    if not subject.is_active:
        messages.error(request, _("The subject is already closed."))
        return redirect("sv_directory:subject", pk=subject.pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.subject_close(
                subject=subject,
                closed_on=form.cleaned_data["closed_on"],
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The subject was closed; it is never drawn again."))
            return redirect("sv_directory:subject", pk=subject.pk)
    status = 400 if form.errors else 200
    context = _context(request, subject.region, form=form, subject=subject)
    return render(request, "supervision/directory/subject_close.html", context, status=status)


@body_limit(5)
@office_required
@require_http_methods(["GET", "POST"])
def subject_import(request):
    city = _city(request, manage=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = imports.subjects_import(
            acting_user=request.user, region=city, file=form.cleaned_data["file"]
        )
        if result.ok:
            messages.success(
                request,
                _("Imported: %(created)s new subjects, %(updated)s updated.")
                % {"created": len(result.created), "updated": len(result.updated)},
            )
            return redirect(_with_city(reverse("sv_directory:subjects"), city))
    status = 400 if (form.errors or (result and not result.ok)) else 200
    context = _context(request, city, form=form, result=result)
    return render(request, "supervision/directory/import.html", context, status=status)


@office_required
def import_template(request):
    city = _city(request, manage=True)
    return _xlsx(imports.import_template(city), "subjects-template.xlsx")


@office_required
def subject_export(request):
    city = _city(request)
    filters = SubjectFilterForm(request.GET or None, city=city)
    qs = selectors.subjects(city, filters=filters.filters())
    try:
        content = imports.subjects_export(acting_user=request.user, region=city, subjects=qs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        query = request.GET.urlencode()
        return redirect(reverse("sv_directory:subjects") + (f"?{query}" if query else ""))
    return _xlsx(content, "subjects.xlsx")


# --- inspectors ----------------------------------------------------------------------------------
def _inspector_or_404(request, pk, *, manage=False):
    inspector = selectors.inspector_for(request.user, pk)
    if inspector is None:
        raise Http404
    if manage:
        require(request.user, SupervisionAction.DIRECTORY, inspector)
    return inspector


@office_required
def inspector_list(request):
    city = _city(request)
    filters = InspectorFilterForm(request.GET or None, city=city)
    qs = selectors.inspectors(city, filters=filters.filters())
    context = _context(
        request, city, filters=filters, page=paginate(request, qs, per_page=PER_PAGE)
    )
    return render(request, "supervision/directory/inspectors.html", context)


@office_required
def inspector_new(request):
    city = _city(request, manage=True)
    form = InspectorNewForm(request.POST or None, city=city)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        unit, username = data.pop("unit"), data.pop("username")
        try:
            inspector = services.inspector_create(
                unit=unit, username=username, data=data, acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The inspector was added to the directory."))
            return redirect("sv_directory:inspector", pk=inspector.pk)
    status = 400 if form.errors else 200
    context = _context(request, city, form=form)
    return render(request, "supervision/directory/inspector_form.html", context, status=status)


def _inspector_city(inspector):
    return services.city_of(inspector.unit.region)


@office_required
def inspector_detail(request, pk: int):
    inspector = _inspector_or_404(request, pk)
    city = _inspector_city(inspector)
    can_manage = policy.can(request.user, SupervisionAction.DIRECTORY, inspector)
    context = _context(
        request,
        city,
        inspector=inspector,
        links=selectors.inspector_links(inspector),
        link_form=LinkForm(city=city) if can_manage else None,
    )
    return render(request, "supervision/directory/inspector.html", context)


@office_required
def inspector_edit(request, pk: int):
    inspector = _inspector_or_404(request, pk, manage=True)
    city = _inspector_city(inspector)
    initial = {
        "name": inspector.name,
        "certificate_number": inspector.certificate_number,
        "qualifications": inspector.qualifications,
        "kinds": inspector.kinds,
        "districts": list(inspector.districts.all()),
    }
    form = InspectorForm(request.POST or None, initial=initial, city=city)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspector_update(
                inspector=inspector, data=form.cleaned_data, acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The inspector was saved."))
            return redirect("sv_directory:inspector", pk=inspector.pk)
    status = 400 if form.errors else 200
    context = _context(request, city, form=form, inspector=inspector)
    return render(request, "supervision/directory/inspector_form.html", context, status=status)


@office_required
def inspector_active(request, pk: int):
    """GET: the confirmation; POST: deactivated (or active again)."""
    inspector = _inspector_or_404(request, pk, manage=True)
    if request.method == "POST":
        try:
            services.inspector_set_active(
                inspector=inspector, active=not inspector.is_active, acting_user=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The inspector is active again.")
                if not inspector.is_active
                else _("The inspector was deactivated; they are no longer drawn."),
            )
        return redirect("sv_directory:inspector", pk=inspector.pk)
    context = _context(request, _inspector_city(inspector), inspector=inspector)
    return render(request, "supervision/directory/inspector_active.html", context)


@office_required
@require_http_methods(["GET", "POST"])
def link_new(request, pk: int):
    inspector = _inspector_or_404(request, pk, manage=True)
    city = _inspector_city(inspector)
    form = LinkForm(request.POST or None, city=city)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_declare(
                inspector=inspector,
                subject=form.cleaned_data["subject"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The declared link was recorded."))
            return redirect("sv_directory:inspector", pk=inspector.pk)
    status = 400 if form.errors else 200
    context = _context(request, city, form=form, inspector=inspector)
    return render(request, "supervision/directory/link_form.html", context, status=status)


@office_required
def link_remove(request, pk: int, link_pk: int):
    """GET: the confirmation; POST: removed."""
    inspector = _inspector_or_404(request, pk, manage=True)
    link = selectors.link_for(inspector, link_pk)
    if link is None:
        raise Http404
    if request.method == "POST":
        try:
            services.link_remove(link=link, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The declared link was removed."))
        return redirect("sv_directory:inspector", pk=inspector.pk)
    context = _context(request, _inspector_city(inspector), inspector=inspector, link=link)
    return render(request, "supervision/directory/link_remove.html", context)


# --- check items ---------------------------------------------------------------------------------
@office_required
def check_item_list(request):
    city = _city(request)
    filters = CheckItemFilterForm(request.GET or None)
    qs = selectors.check_items(city, filters=filters.filters())
    context = _context(
        request, city, filters=filters, page=paginate(request, qs, per_page=PER_PAGE)
    )
    return render(request, "supervision/directory/check_items.html", context)


def _check_item_form(request, city, item=None):
    initial = services.check_item_data(item) if item else {"is_active": True}
    form = CheckItemForm(request.POST or None, initial=initial, city=city)
    if request.method == "POST" and form.is_valid():
        try:
            if item is None:
                item = services.check_item_create(
                    region=city, data=form.cleaned_data, acting_user=request.user
                )
            else:
                services.check_item_update(
                    item=item, data=form.cleaned_data, acting_user=request.user
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The check item was saved."))
            return redirect(_with_city(reverse("sv_directory:check_items"), city))
    status = 400 if form.errors else 200
    context = _context(request, city, form=form, item=item)
    return render(request, "supervision/directory/check_item_form.html", context, status=status)


@office_required
def check_item_new(request):
    return _check_item_form(request, _city(request, manage=True))


@office_required
def check_item_edit(request, pk: int):
    item = selectors.check_item_for(request.user, pk)
    if item is None:
        raise Http404
    require(request.user, SupervisionAction.DIRECTORY, item)
    return _check_item_form(request, item.region, item)


# --- product categories --------------------------------------------------------------------------
@office_required
def category_list(request):
    city = _city(request)
    search = SearchForm(request.GET or None)
    query = search.cleaned_data.get("q", "") if search.is_bound and search.is_valid() else ""
    qs = selectors.categories(city, query=query)
    context = _context(request, city, search=search, page=paginate(request, qs, per_page=PER_PAGE))
    return render(request, "supervision/directory/categories.html", context)


def _category_form(request, city, category=None):
    initial = services.category_data(category) if category else {"is_active": True}
    form = CategoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if category is None:
                services.category_create(
                    region=city, data=form.cleaned_data, acting_user=request.user
                )
            else:
                services.category_update(
                    category=category, data=form.cleaned_data, acting_user=request.user
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The product category was saved."))
            return redirect(_with_city(reverse("sv_directory:categories"), city))
    status = 400 if form.errors else 200
    context = _context(request, city, form=form, category=category)
    return render(request, "supervision/directory/category_form.html", context, status=status)


@office_required
def category_new(request):
    return _category_form(request, _city(request, manage=True))


@office_required
def category_edit(request, pk: int):
    category = selectors.category_for(request.user, pk)
    if category is None:
        raise Http404
    require(request.user, SupervisionAction.DIRECTORY, category)
    return _category_form(request, category.region, category)
