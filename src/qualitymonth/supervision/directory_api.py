"""The supervision directories through the API: subjects, inspectors and their declared links,
check items, product categories and the city's rules. The same services, rights and audit trail
as the pages; a city or an object the caller may not see is "not found"."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from qualitymonth.api.errors import errors
from qualitymonth.core.models import Region, Unit
from qualitymonth.core.pagination import Pagination
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import DbInt, field_error
from qualitymonth.supervision import directory_selectors as selectors
from qualitymonth.supervision.directory_schemas import (
    CategoryFilterIn,
    CheckItemFilterIn,
    CheckItemIn,
    CityIn,
    CloseIn,
    DirectoryCheckItemOut,
    DirectorySubjectOut,
    InspectorFilterIn,
    InspectorIn,
    InspectorOut,
    LinkIn,
    LinkOut,
    ProductCategoryIn,
    ProductCategoryOut,
    RulesIn,
    RulesOut,
    SubjectChangeIn,
    SubjectDetailOut,
    SubjectFilterIn,
    SubjectIn,
)
from qualitymonth.supervision.models import Rules, SubjectKind
from qualitymonth.supervision.permissions import SupervisionAction
from qualitymonth.supervision.services import directories as services

router = Router(tags=["supervision"], auth=django_auth)
BASE = "/office/supervision"
KIND_FIELDS = {
    SubjectKind.ENTERPRISE: (),
    SubjectKind.CANTEEN: services.CANTEEN_FIELDS,
    SubjectKind.ELEVATOR: services.ELEVATOR_FIELDS,
}
REFS = ("district", "supervising_unit", "enterprise")


def _city(request, code: str, *, manage: bool = False) -> Region:
    """The city named (or the first the caller reads / keeps). A code that is no city the
    caller reads is refused as the input it is (400, the same for a city that does not exist
    and one that is not theirs); one they read but do not keep is 403 for a write."""
    policy.require(request.user, SupervisionAction.VIEW)
    if manage and not code:
        policy.require(request.user, SupervisionAction.DIRECTORY)
        city = selectors.managed_cities(request.user).first()
    else:
        cities = selectors.cities_for(request.user)
        city = cities.filter(code=code).first() if code else cities.first()
    if city is None:
        raise field_error("city", _("No city of yours has this code."), "not_found")
    if manage:
        policy.require(request.user, SupervisionAction.DIRECTORY, city)
    return city


def _renamed(error: ValidationError, **names) -> ValidationError:
    """The service's field names as the API's body names them."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(k, k): v for k, v in error.error_dict.items()})


def _subject(request, subject_id: int):
    found = selectors.subject_for(request.user, subject_id)
    if found is None:
        raise Http404
    return found


def _subject_data(city: Region, kind: str, body: dict) -> dict:
    wanted = {*services.COMMON_FIELDS, *KIND_FIELDS.get(kind, ())}
    data = {k: v for k, v in body.items() if k in wanted}
    refs = {k: data[k] for k in REFS if k in data}
    data.update(services.resolve_refs(city, refs))
    return data


# --- subjects ------------------------------------------------------------------------------------
@router.get(
    f"{BASE}/subjects",
    response=list[DirectorySubjectOut],
    summary="The city's directory of subjects, searched and filtered, by name",
)
@paginate(Pagination, page_size=50)
def subject_list(request, filters: Query[SubjectFilterIn]):
    city = _city(request, filters.city)
    return selectors.subjects(city, filters=filters.model_dump())


@router.post(
    f"{BASE}/subjects",
    response={201: SubjectDetailOut, **errors(400, 409)},
    summary="Add a subject (an enterprise of the registry, a school canteen or an elevator)",
)
def subject_create(request, body: SubjectIn):
    city = _city(request, body.city, manage=True)
    if body.kind not in SubjectKind.values:
        raise services.field_error("kind", _("Choose the kind of subject."), "required")
    data = _subject_data(city, body.kind, body.model_dump())
    subject = services.subject_create(
        region=city, kind=body.kind, data=data, acting_user=request.user
    )
    return Status(201, _subject(request, subject.pk))


@router.get(f"{BASE}/subjects/{{subject_id}}", response=SubjectDetailOut, summary="One subject")
def subject_detail(request, subject_id: DbInt):
    return _subject(request, subject_id)


@router.put(
    f"{BASE}/subjects/{{subject_id}}",
    response={200: SubjectDetailOut, **errors(400, 409)},
    summary="Change a subject; fields left out keep their values, the kind stays",
)
def subject_update(request, subject_id: DbInt, body: SubjectChangeIn):
    subject = _subject(request, subject_id)
    policy.require(request.user, SupervisionAction.DIRECTORY, subject)
    data = _subject_data(subject.region, subject.kind, body.model_dump(exclude_unset=True))
    services.subject_update(subject=subject, data=data, acting_user=request.user)
    return _subject(request, subject_id)


@router.post(
    f"{BASE}/subjects/{{subject_id}}/close",
    response={200: SubjectDetailOut, **errors(400, 409)},
    summary="Close a subject: it is never drawn again",
)
def subject_close(request, subject_id: DbInt, body: CloseIn):
    subject = _subject(request, subject_id)
    services.subject_close(
        subject=subject, closed_on=body.closed_on, reason=body.reason, acting_user=request.user
    )
    return _subject(request, subject_id)


# --- inspectors ----------------------------------------------------------------------------------
@router.get(
    f"{BASE}/inspectors",
    response=list[InspectorOut],
    summary="The directory of inspectors of the city's units",
)
@paginate(Pagination, page_size=50)
def inspector_list(request, filters: Query[InspectorFilterIn]):
    city = _city(request, filters.city)
    return selectors.inspectors(city, filters=filters.model_dump())


@router.post(
    f"{BASE}/inspectors",
    response={201: InspectorOut, **errors(400, 409)},
    summary="Put an existing account in the directory of inspectors of a unit",
    description="The account gets the unit's inspector role.",
)
def inspector_create(request, body: InspectorIn):
    policy.require(request.user, SupervisionAction.DIRECTORY)
    unit = (
        Unit.objects.select_related("region__parent").filter(code=body.unit, is_active=True).first()
    )
    cities = selectors.managed_cities(request.user)
    if unit is None or not cities.filter(pk=services.city_of(unit.region).pk).exists():
        raise services.field_error("unit", _("No such unit in a city you keep."))
    city = services.city_of(unit.region)
    districts = list(selectors.districts_of(city).filter(code__in=body.districts[:50]))
    if len(districts) != len(set(body.districts)):
        raise services.field_error("districts", _("Choose districts of the city."))
    inspector = services.inspector_create(
        unit=unit,
        username=body.username,
        data={
            "name": body.name,
            "certificate_number": body.certificate_number,
            "qualifications": body.qualifications,
            "kinds": body.kinds,
            "districts": districts,
        },
        acting_user=request.user,
    )
    return Status(201, selectors.inspector_for(request.user, inspector.pk))


def _inspector(request, inspector_id: int):
    found = selectors.inspector_for(request.user, inspector_id)
    if found is None:
        raise Http404
    return found


@router.get(
    f"{BASE}/inspectors/{{inspector_id}}/links",
    response=list[LinkOut],
    summary="The links an inspector declared (the draw never sends them there)",
)
@paginate(Pagination, page_size=50)
def link_list(request, inspector_id: DbInt):
    return selectors.inspector_links(_inspector(request, inspector_id))


@router.post(
    f"{BASE}/inspectors/{{inspector_id}}/links",
    response={201: LinkOut, **errors(400, 409)},
    summary="Record a link an inspector declared to a subject",
)
def link_create(request, inspector_id: DbInt, body: LinkIn):
    inspector = _inspector(request, inspector_id)
    policy.require(request.user, SupervisionAction.DIRECTORY, inspector)
    city = services.city_of(inspector.unit.region)
    subject = selectors.subjects(city).filter(pk=body.subject_id).first()
    try:
        link = services.link_declare(
            inspector=inspector,
            subject=subject,
            reason=body.reason,
            note=body.note,
            acting_user=request.user,
        )
    except ValidationError as error:
        raise _renamed(error, subject="subject_id") from None
    return Status(201, link)


# --- check items ---------------------------------------------------------------------------------
@router.get(
    f"{BASE}/check-items", response=list[DirectoryCheckItemOut], summary="The city's check items"
)
@paginate(Pagination, page_size=50)
def check_item_list(request, filters: Query[CheckItemFilterIn]):
    city = _city(request, filters.city)
    return selectors.check_items(city, filters=filters.model_dump())


@router.post(
    f"{BASE}/check-items",
    response={201: DirectoryCheckItemOut, **errors(400, 409)},
    summary="Add a check item (an ordinary one caps the share drawn, a key one has no cap)",
)
def check_item_create(request, body: CheckItemIn):
    city = _city(request, body.city, manage=True)
    data = body.model_dump(exclude={"city"})
    item = services.check_item_create(region=city, data=data, acting_user=request.user)
    return Status(201, item)


# --- product categories --------------------------------------------------------------------------
@router.get(
    f"{BASE}/product-categories",
    response=list[ProductCategoryOut],
    summary="The city's product categories for spot checks",
)
@paginate(Pagination, page_size=50)
def category_list(request, filters: Query[CategoryFilterIn]):
    city = _city(request, filters.city)
    return selectors.categories(city, query=filters.q)


@router.post(
    f"{BASE}/product-categories",
    response={201: ProductCategoryOut, **errors(400, 409)},
    summary="Add a product category",
)
def category_create(request, body: ProductCategoryIn):
    city = _city(request, body.city, manage=True)
    data = body.model_dump(exclude={"city"})
    category = services.category_create(region=city, data=data, acting_user=request.user)
    return Status(201, category)


# --- rules ---------------------------------------------------------------------------------------
def _rules_out(city: Region) -> dict:
    rules = Rules.for_region(city)
    return {
        "city": city.code,
        "is_default": rules.region_id != city.pk or rules.pk is None,
        **services.rules_data(rules),
    }


@router.get(f"{BASE}/rules", response=RulesOut, summary="The city's supervision figures")
def rules_detail(request, filters: Query[CityIn]):
    return _rules_out(_city(request, filters.city))


@router.put(
    f"{BASE}/rules",
    response={200: RulesOut, **errors(400)},
    summary="Set the city's supervision figures (the national rule is the floor)",
)
def rules_update(request, body: RulesIn):
    city = _city(request, body.city, manage=True)
    services.rules_update(
        region=city, data=body.model_dump(exclude={"city"}), acting_user=request.user
    )
    return _rules_out(city)
