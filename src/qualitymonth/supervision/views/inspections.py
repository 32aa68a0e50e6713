"""The inspection pages: an inspector's own work (phone first), starting an inspection, the
inspection page whose answers save themselves one by one (htmx, and plain forms without it),
photos, hazards, the representative, the inspectors' signatures; the office's list; the
checklists and their versions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qualitymonth.core.body_limits import body_limit
from qualitymonth.core.media import private_file_response
from qualitymonth.core.models import Region, Unit
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import client_int
from qualitymonth.core.views import add_service_errors, office_required, paginate, require
from qualitymonth.supervision import inspection_selectors as selectors
from qualitymonth.supervision.checklists import STANDARDS
from qualitymonth.supervision.inspection_forms import (
    AnswerForm,
    CancelForm,
    ChecklistForm,
    ChecklistItemFormSet,
    HazardForm,
    InspectionFilterForm,
    PhotoForm,
    RepresentativeForm,
    SubjectSearchForm,
    items_from,
)
from qualitymonth.supervision.models import DrawnSubject, Inspection, Photo, Subject
from qualitymonth.supervision.permissions import SupervisionAction, work_unit_ids
from qualitymonth.supervision.services import checklists as checklist_services
from qualitymonth.supervision.services import inspections as services
from qualitymonth.supervision.services.photos import PHOTO_MAX_MB

DETAIL = "supervision/inspections/detail.html"


def _inspection_or_404(request, number: str) -> Inspection:
    found = selectors.inspection_for(request.user, number)
    if found is None:
        raise Http404
    return found


def _item_or_404(inspection: Inspection, item_id: int):
    return get_object_or_404(inspection.checklist.items, pk=client_int(item_id, default=0))


# --- an inspector's work -------------------------------------------------------------------------
@office_required
def mine(request):
    require(request.user, SupervisionAction.VIEW)
    context = {
        "drawn": list(selectors.drawn_for(request.user)[:100]),
        "in_progress": list(selectors.inspections_in_progress(request.user)[:100]),
        "signed": selectors.recently_signed(request.user),
        "inspector": services.inspector_of(request.user),
    }
    return render(request, "supervision/inspections/mine.html", context)


@office_required
@require_POST
def start_drawn(request, pk: int):
    drawn = get_object_or_404(
        DrawnSubject.objects.select_related("subject", "task"), pk=client_int(pk, default=0)
    )
    require(request.user, SupervisionAction.INSPECT, drawn)
    try:
        inspection = services.inspection_start(drawn=drawn, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("sv_inspection:mine")
    return redirect("sv_inspection:detail", number=inspection.number)


@office_required
def start_adhoc(request):
    """Find a subject of the city and start an ad hoc inspection of it."""
    inspector = services.inspector_of(request.user)
    if inspector is None:
        messages.error(request, _("Only inspectors listed in the directory start inspections."))
        return redirect("sv_inspection:mine")
    if request.method == "POST":
        subject = Subject.objects.filter(pk=client_int(request.POST.get("subject"), default=0))
        subject = subject.select_related("region").first()
        if subject is None:
            raise Http404
        try:
            inspection = services.inspection_start(subject=subject, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("sv_inspection:new")
        return redirect("sv_inspection:detail", number=inspection.number)
    form = SubjectSearchForm(request.GET or None)
    query = form.cleaned_data.get("q", "") if form.is_bound and form.is_valid() else ""
    subjects = list(selectors.adhoc_subjects(inspector, query)[:30])
    return render(
        request,
        "supervision/inspections/new.html",
        {"form": form, "subjects": subjects, "query": query},
        status=400 if form.errors else 200,
    )


# --- one inspection ------------------------------------------------------------------------------
def _with_forms(request, inspection, row, *, bound: dict | None = None):
    """A row with its three forms: the bound one that was just refused, the others fresh."""
    bound = bound or {}
    auto_id = f"i{row.item.pk}_%s"
    answer = row.answer
    row.answer_form = bound.get("answer") or AnswerForm(
        initial={"verdict": answer.verdict, "note": answer.note} if answer else {},
        auto_id=auto_id,
    )
    draft = row.draft or {}
    row.hazard_form = bound.get("hazard") or HazardForm(
        initial={
            "description": draft.get("description", ""),
            "order_text": draft.get("order_text", ""),
            "deadline": draft.get("deadline") or services.default_deadline(inspection),
        },
        auto_id=auto_id,
    )
    row.photo_form = bound.get("photo") or PhotoForm(auto_id=auto_id)
    return row


def _page_context(request, inspection, **extra) -> dict:
    office = policy.office_covers(request.user, inspection.subject.region)
    context = {
        "inspection": inspection,
        "can_edit": selectors.may_inspect(request.user, inspection),
        "office": office,
        "signatures": list(inspection.signatures.all()),
    }
    context.update(extra)
    return context


@office_required
def detail(request, number: str):
    inspection = _inspection_or_404(request, number)
    rows = [_with_forms(request, inspection, r) for r in selectors.inspection_rows(inspection)]
    general = [p for p in inspection.photos.all() if p.item_id is None]
    answered = sum(1 for r in rows if r.answer is not None)
    context = _page_context(
        request,
        inspection,
        rows=rows,
        general_photos=general,
        answered=answered,
        problems=selectors.readiness(inspection),
    )
    return render(request, DETAIL, context)


def _item_response(request, inspection, item, *, status=200, saved="", **bound):
    """After a post about one item: htmx gets the item's card (with the refusal, if any), a
    plain form the item page when refused, else the inspection page at that item."""
    row = selectors.inspection_rows(inspection, item_id=item.pk)[0]
    row = _with_forms(request, inspection, row, bound=bound)
    row.saved = saved
    context = _page_context(
        request, inspection, row=row, **{f"{k}_form": v for k, v in bound.items()}
    )
    if request.htmx:
        return render(request, f"{DETAIL}#item", context)
    if status != 200:
        context.setdefault("answer_form", row.answer_form)
        context.setdefault("hazard_form", row.hazard_form)
        context.setdefault("photo_form", row.photo_form)
        return render(request, "supervision/inspections/item.html", context, status=status)
    if saved:
        messages.success(request, saved)
    return redirect(reverse("sv_inspection:detail", args=[inspection.number]) + f"#item-{item.pk}")


@office_required
def item(request, number: str, item_id: int):
    """One item on its own page (where a refused plain form is shown again)."""
    inspection = _inspection_or_404(request, number)
    item = _item_or_404(inspection, item_id)
    row = _with_forms(
        request, inspection, selectors.inspection_rows(inspection, item_id=item.pk)[0]
    )
    context = _page_context(
        request,
        inspection,
        row=row,
        answer_form=row.answer_form,
        hazard_form=row.hazard_form,
        photo_form=row.photo_form,
    )
    return render(request, "supervision/inspections/item.html", context)


def _refused(request, inspection, item, form, key: str, error: ValidationError | None = None):
    if error is not None and inspection.status != Inspection.Status.IN_PROGRESS:
        # Signed meanwhile (by the other inspector): say so on the inspection's page.
        messages.error(request, " ".join(error.messages))
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = reverse("sv_inspection:detail", args=[inspection.number])
            return response
        return redirect("sv_inspection:detail", number=inspection.number)
    if error is not None:
        add_service_errors(form, error)
    status = 200 if request.htmx else 400
    return _item_response(request, inspection, item, status=status, **{key: form})


@office_required
@require_POST
def answer(request, number: str, item_id: int):
    inspection = _inspection_or_404(request, number)
    item = _item_or_404(inspection, item_id)
    require(request.user, SupervisionAction.INSPECT, inspection)
    form = AnswerForm(request.POST, auto_id=f"i{item.pk}_%s")
    if not form.is_valid():
        return _refused(request, inspection, item, form, "answer")
    try:
        services.answer_save(
            inspection=inspection, item=item, acting_user=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        return _refused(request, inspection, item, form, "answer", error)
    return _item_response(request, inspection, item, saved=_("Saved."))


@office_required
@require_POST
def hazard(request, number: str, item_id: int):
    inspection = _inspection_or_404(request, number)
    item = _item_or_404(inspection, item_id)
    require(request.user, SupervisionAction.INSPECT, inspection)
    form = HazardForm(request.POST, auto_id=f"i{item.pk}_%s")
    if not form.is_valid():
        return _refused(request, inspection, item, form, "hazard")
    try:
        services.hazard_draft_save(
            inspection=inspection, item=item, acting_user=request.user, **form.cleaned_data
        )
    except ValidationError as error:
        return _refused(request, inspection, item, form, "hazard", error)
    return _item_response(request, inspection, item, saved=_("Hazard and order saved."))


@office_required
@require_POST
@body_limit(PHOTO_MAX_MB)
def photo_upload(request, number: str, item_id: int):
    inspection = _inspection_or_404(request, number)
    item = _item_or_404(inspection, item_id)
    require(request.user, SupervisionAction.INSPECT, inspection)
    form = PhotoForm(request.POST, request.FILES, auto_id=f"i{item.pk}_%s")
    if not form.is_valid():
        return _refused(request, inspection, item, form, "photo")
    try:
        services.photo_add(
            inspection=inspection,
            item=item,
            upload=form.cleaned_data["photo"],
            acting_user=request.user,
        )
    except ValidationError as error:
        return _refused(request, inspection, item, form, "photo", error)
    return _item_response(request, inspection, item, saved=_("Photo added."))


@office_required
def photo(request, number: str, pk: int):
    inspection = _inspection_or_404(request, number)
    found = get_object_or_404(inspection.photos, pk=client_int(pk, default=0))
    return private_file_response(found.image)


@office_required
def photo_remove(request, number: str, pk: int):
    """GET: the confirmation; POST: the photo is removed."""
    inspection = _inspection_or_404(request, number)
    found = get_object_or_404(
        Photo.objects.filter(inspection=inspection), pk=client_int(pk, default=0)
    )
    require(request.user, SupervisionAction.INSPECT, inspection)
    if request.method == "POST":
        try:
            services.photo_remove(photo=found, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The photo was removed."))
        anchor = f"#item-{found.item_id}" if found.item_id else ""
        return redirect(reverse("sv_inspection:detail", args=[inspection.number]) + anchor)
    return render(
        request,
        "supervision/inspections/photo_remove.html",
        {"inspection": inspection, "photo": found},
    )


@office_required
def cancel(request, number: str):
    """GET: the confirmation, with the reason to give; POST: the inspection is cancelled."""
    inspection = _inspection_or_404(request, number)
    require(request.user, SupervisionAction.INSPECT, inspection)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.inspection_cancel(
                inspection=inspection, reason=form.cleaned_data["reason"], acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The inspection was cancelled; it stays on record."))
            return redirect("sv_inspection:mine")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "supervision/inspections/cancel.html",
        {"inspection": inspection, "form": form},
        status=status,
    )


def _finish_context(request, inspection, **extra) -> dict:
    rows = selectors.inspection_rows(inspection)
    return _page_context(
        request,
        inspection,
        hazards=[r for r in rows if r.not_compliant],
        problems=selectors.readiness(inspection),
        before_representative=selectors.readiness(inspection, representative=False),
        **extra,
    )


@office_required
def finish(request, number: str):
    """The end of the inspection: what is missing, the representative, the signatures."""
    inspection = _inspection_or_404(request, number)
    initial = {
        "name": inspection.representative_name,
        "refused": inspection.representative_refused,
        "refusal_note": inspection.refusal_note,
    }
    context = _finish_context(
        request, inspection, representative_form=RepresentativeForm(initial=initial)
    )
    return render(request, "supervision/inspections/finish.html", context)


@office_required
@require_POST
def representative(request, number: str):
    inspection = _inspection_or_404(request, number)
    require(request.user, SupervisionAction.INSPECT, inspection)
    form = RepresentativeForm(request.POST)
    if form.is_valid():
        try:
            services.representative_record(
                inspection=inspection, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if form.cleaned_data["refused"]:
                messages.success(request, _("The refusal to sign is recorded."))
            else:
                messages.success(request, _("The representative's signature is recorded."))
            return redirect("sv_inspection:finish", number=inspection.number)
    context = _finish_context(request, inspection, representative_form=form)
    return render(request, "supervision/inspections/finish.html", context, status=400)


@office_required
def sign(request, number: str):
    """GET: what the inspector signs (a confirmation); POST: their signature."""
    inspection = _inspection_or_404(request, number)
    require(request.user, SupervisionAction.INSPECT, inspection)
    if request.method == "POST":
        try:
            services.inspection_sign(inspection=inspection, acting_user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("sv_inspection:finish", number=inspection.number)
        inspection.refresh_from_db()
        if inspection.status == Inspection.Status.SIGNED:
            messages.success(request, _("Signed. The inspection is complete."))
            return redirect("sv_inspection:detail", number=inspection.number)
        messages.success(
            request, _("Signed. The other inspector now signs with their own account.")
        )
        return redirect("sv_inspection:finish", number=inspection.number)
    context = _finish_context(request, inspection)
    return render(request, "supervision/inspections/sign.html", context)


# --- the office's list ---------------------------------------------------------------------------
@office_required
def inspection_list(request):
    require(request.user, SupervisionAction.VIEW)
    units = (
        Unit.objects.filter(
            Q(pk__in=policy.covered_units(request.user)) | Q(pk__in=work_unit_ids(request.user))
        )
        .filter(kind=Unit.Kind.MARKET_SUPERVISION)
        .order_by("name")
    )
    regions = {u.region_id for u in units} | policy.office_region_ids(request.user)
    districts = Region.objects.filter(parent_id__in=regions, level=Region.Level.DISTRICT).order_by(
        "code"
    )
    form = InspectionFilterForm(request.GET or None, districts=districts, units=units)
    filters = form.filters()
    page = paginate(
        request,
        selectors.office_inspections(request.user, **filters),
        per_page=20,
        count_cap=selectors.COUNT_CAP,
    )
    return render(
        request,
        "supervision/inspections/list.html",
        {"form": form, "page": page},
        status=400 if form.errors else 200,
    )


# --- checklists ----------------------------------------------------------------------------------
@office_required
def checklists(request):
    require(request.user, SupervisionAction.DIRECTORY)
    cities = []
    for region in selectors.checklist_regions(request.user)[:20]:
        for code in STANDARDS:  # the standards are there from the first look
            checklist_services.checklist_current(region, code)
        cities.append((region, selectors.checklists_of(region)))
    return render(request, "supervision/inspections/checklists.html", {"cities": cities})


def _checklist_or_404(request, pk: int):
    found = selectors.checklist_for(request.user, client_int(pk, default=0))
    if found is None:
        raise Http404
    return found


@office_required
def checklist_detail(request, pk: int):
    checklist = _checklist_or_404(request, pk)
    context = {"checklist": checklist, "items": list(checklist.items.all())}
    return render(request, "supervision/inspections/checklist.html", context)


@office_required
def checklist_edit(request, pk: int):
    """The current version's items to edit, reorder, remove or add to: saving makes a new
    version (the inspections made with this one keep it)."""
    checklist = _checklist_or_404(request, pk)
    require(request.user, SupervisionAction.DIRECTORY, checklist.region)
    if not checklist.is_current:
        messages.error(request, _("Only the current version can be edited."))
        return redirect("sv_inspection:checklist", pk=checklist.pk)
    initial = [
        {
            "order": item.order,
            "section": item.section,
            "text": item.text,
            "guidance": item.guidance,
            "photo_required": item.photo_required,
        }
        for item in checklist.items.all()
    ]
    if request.method == "POST":
        form = ChecklistForm(request.POST)
        formset = ChecklistItemFormSet(request.POST, initial=initial, prefix="items")
        if form.is_valid() and formset.is_valid():
            try:
                new = checklist_services.checklist_revise(
                    checklist=checklist,
                    items=items_from(formset),
                    title=form.cleaned_data["title"],
                    acting_user=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)  # an item's refusal shows above the form
            else:
                messages.success(
                    request, _("Version %(n)s is now the current checklist.") % {"n": new.version}
                )
                return redirect("sv_inspection:checklist", pk=new.pk)
        status = 400
    else:
        form = ChecklistForm(initial={"title": checklist.title})
        formset = ChecklistItemFormSet(initial=initial, prefix="items")
        status = 200
    context = {"checklist": checklist, "form": form, "formset": formset}
    return render(request, "supervision/inspections/checklist_edit.html", context, status=status)
