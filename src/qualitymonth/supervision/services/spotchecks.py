"""Product quality spot checks (产品质量法 art. 15): a unit plans a spot check of product
categories, samples products at random from enterprises of the registry (never for a fee: the
law forbids charging the inspected party, so no fee can be entered anywhere), records the
laboratory's results, and serves them on the enterprise. The enterprise may ask for a re-test
within the city's re-test days (15 by law) of receiving a result; failures get a rectification
deadline and a re-check. The results notice is published once every result is final."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from qualitymonth.core.audit import audit_record
from qualitymonth.core.models import Unit
from qualitymonth.core.notify import Notification, notify_on_commit
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import clean_text, field_error
from qualitymonth.enterprises.models import Enterprise, EnterpriseMember
from qualitymonth.supervision import spotcheck_selectors as selectors
from qualitymonth.supervision.models import ProductCategory, Sample, SpotCheckPlan
from qualitymonth.supervision.numbers import next_number
from qualitymonth.supervision.permissions import SupervisionAction

Outcome = Sample.Outcome
Status = SpotCheckPlan.Status
YEAR_MIN, YEAR_MAX = 2000, 2100
EARLIEST = dt.date(2000, 1, 1)
NOTICE_MAX = 20_000
CATEGORIES_MAX = 50
RESULTS = (Outcome.PASS, Outcome.FAIL)


def _audit(target, actor, event: str, **detail) -> None:
    audit_record(actor=actor, event_type=f"supervision.spotcheck.{event}", target=target, **detail)


def _day(field: str, value, *, not_before: dt.date | None = None, label_before: str = ""):
    """A date that has happened: not in the future, not before `not_before`."""
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise field_error(field, _("Give a date."), "required")
    if value > selectors._today():
        raise field_error(field, _("The date is in the future."), "future")
    if value < (not_before or EARLIEST):
        message = (
            _("The date is before %(what)s (%(date)s).")
            % {"what": label_before, "date": date_format(not_before, "Y-m-d")}
            if not_before and label_before
            else _("The date is too early.")
        )
        raise field_error(field, message, "invalid")
    return value


def _outcome(field: str, value) -> str:
    if value not in RESULTS:
        raise field_error(field, _("Choose passed or failed."), "required")
    return str(value)


def _failure(outcome: str, failed_items, rectify_by, *, after: dt.date):
    """A failure names its failed items and gets a rectification deadline after the result."""
    if outcome != Outcome.FAIL:
        return "", None
    items = clean_text("failed_items", failed_items, limit=500)
    if not isinstance(rectify_by, dt.date) or isinstance(rectify_by, dt.datetime):
        raise field_error("rectify_by", _("Give the rectification deadline."), "required")
    if rectify_by <= after:
        raise field_error(
            "rectify_by", _("The deadline must be after the day of the result."), "invalid"
        )
    if rectify_by > after + dt.timedelta(days=366):
        raise field_error("rectify_by", _("The deadline is more than a year away."), "invalid")
    return items, rectify_by


def _lock_plan(plan: SpotCheckPlan) -> SpotCheckPlan:
    return (
        SpotCheckPlan.objects.select_for_update(of=("self",))
        .select_related("region", "unit")
        .get(pk=plan.pk)
    )


def _lock_sample(sample: Sample) -> Sample:
    return (
        Sample.objects.select_for_update(of=("self",))
        .select_related("plan__region", "plan__unit", "enterprise", "category")
        .get(pk=sample.pk)
    )


def _refuse_if_published(plan: SpotCheckPlan) -> None:
    if plan.status == Status.PUBLISHED:
        raise ValidationError(
            _("The results notice of this plan is published: its results are final."),
            code="invalid_transition",
        )


def _notify_enterprise(sample: Sample, text: str) -> None:
    """The enterprise's contact and its users on the platform hear of each result."""
    subject = _("Product quality spot check")
    body = _("Sample %(number)s (%(product)s): %(text)s") % {
        "number": sample.number,
        "product": sample.product,
        "text": text,
    }
    emails = (
        EnterpriseMember.objects.filter(enterprise_id=sample.enterprise_id)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    for email in emails:
        notify_on_commit(Notification(subject=subject, text=body, email=email))
    if sample.enterprise.contact_mobile:
        notify_on_commit(
            Notification(subject=subject, text=body, mobile=sample.enterprise.contact_mobile)
        )


# --- plans ---------------------------------------------------------------------------------------
@transaction.atomic
def spot_check_plan_create(
    *,
    unit: Unit | None,
    year,
    title,
    categories,
    laboratory: str = "",
    campaign=None,
    acting_user,
) -> SpotCheckPlan:
    """A unit's spot-check plan for some product categories of its city."""
    if unit is None:
        policy.require(acting_user, SupervisionAction.WORK, None)
        raise field_error("unit", _("Choose the unit that runs the spot check."), "required")
    region = selectors.city_of(unit.region)
    plan = SpotCheckPlan(region=region, unit=unit, created_by=acting_user)
    policy.require(acting_user, SupervisionAction.WORK, plan)
    errors: dict[str, list] = {}

    def collect(field, check):
        try:
            return check()
        except ValidationError as error:
            errors.update(error.error_dict)

    if not isinstance(year, int) or isinstance(year, bool) or not YEAR_MIN <= year <= YEAR_MAX:
        errors["year"] = [
            ValidationError(
                _("Give a year from %(low)s to %(high)s.") % {"low": YEAR_MIN, "high": YEAR_MAX},
                "invalid",
            )
        ]
    plan.title = collect("title", lambda: clean_text("title", title, limit=120)) or ""
    plan.laboratory = (
        collect(
            "laboratory", lambda: clean_text("laboratory", laboratory, limit=120, required=False)
        )
        or ""
    )
    chosen = list(dict.fromkeys(categories or []))
    allowed = {c.pk for c in selectors.creatable_categories(region)}
    if not chosen:
        errors["categories"] = [
            ValidationError(_("Choose at least one product category."), "required")
        ]
    elif len(chosen) > CATEGORIES_MAX:
        errors["categories"] = [
            ValidationError(
                _("At most %(n)s categories in one plan.") % {"n": CATEGORIES_MAX}, "invalid"
            )
        ]
    elif any(not isinstance(c, ProductCategory) or c.pk not in allowed for c in chosen):
        errors["categories"] = [
            ValidationError(_("Choose active product categories of the city."), "invalid")
        ]
    if campaign is not None:
        if region.pk not in {r.pk for r in campaign.region.ancestors_and_self()} and (
            campaign.region.pk not in {r.pk for r in region.ancestors_and_self()}
        ):
            errors["campaign"] = [ValidationError(_("Choose a campaign of the city."), "invalid")]
        plan.campaign = campaign
    if errors:
        raise ValidationError(errors)
    if SpotCheckPlan.objects.filter(region=region, year=year, title=plan.title).exists():
        raise field_error("title", _("The city already has a plan of this title."), "duplicate")
    plan.year = year
    plan.save()
    plan.categories.set(chosen)
    _audit(
        plan,
        acting_user,
        "plan_created",
        unit=unit.code,
        year=year,
        categories=[c.code for c in chosen],
    )
    return plan


# --- sampling ------------------------------------------------------------------------------------
@transaction.atomic
def sample_add(
    *,
    plan: SpotCheckPlan,
    enterprise: Enterprise | None,
    category: ProductCategory | None,
    product,
    quantity,
    seal_number,
    sampled_on,
    brand: str = "",
    model_spec: str = "",
    batch: str = "",
    acting_user,
) -> Sample:
    """A sample taken at random from an enterprise, free of charge, with its seal number;
    numbered S<year>-NNNNN by the day it was taken."""
    plan = _lock_plan(plan)
    policy.require(acting_user, SupervisionAction.WORK, plan)
    _refuse_if_published(plan)
    errors: dict[str, list] = {}
    values = {}
    for field, value, limit, required in (
        ("product", product, 120, True),
        ("brand", brand, 60, False),
        ("model_spec", model_spec, 60, False),
        ("batch", batch, 40, False),
        ("quantity", quantity, 40, True),
        ("seal_number", seal_number, 30, True),
    ):
        try:
            values[field] = clean_text(field, value, limit=limit, required=required)
        except ValidationError as error:
            errors.update(error.error_dict)
    if enterprise is None:
        errors["enterprise"] = [
            ValidationError(_("Choose an enterprise of the registry."), "required")
        ]
    elif enterprise.region_id != plan.region_id and enterprise.region.parent_id != plan.region_id:
        errors["enterprise"] = [
            ValidationError(_("The enterprise is not registered in the plan's city."), "invalid")
        ]
    if category is None or not plan.categories.filter(pk=category.pk).exists():
        errors["category"] = [
            ValidationError(_("Choose one of the plan's product categories."), "required")
        ]
    try:
        _day("sampled_on", sampled_on)
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    if Sample.objects.filter(plan=plan, seal_number=values["seal_number"]).exists():
        raise field_error(
            "seal_number", _("Another sample of the plan has this seal number."), "duplicate"
        )
    sample = Sample(
        plan=plan,
        enterprise=enterprise,
        district_id=enterprise.district_id,
        category=category,
        sampled_on=sampled_on,
        sampled_by=acting_user,
        **values,
    )
    for _attempt in range(3):
        sample.number = next_number(Sample, "S", sampled_on.year)
        try:
            with transaction.atomic():
                sample.save(force_insert=True)
            break
        except IntegrityError:  # another sample took the number at the same moment
            sample.pk = None
    else:
        raise ValidationError(_("The sample could not be numbered; try again."), code="busy")
    _audit(
        sample,
        acting_user,
        "sampled",
        plan=plan.pk,
        enterprise=enterprise.pk,
        category=category.code,
        seal_number=sample.seal_number,
        fee="none",
    )
    return sample


# --- results -------------------------------------------------------------------------------------
@transaction.atomic
def sample_result_record(
    *,
    sample: Sample,
    outcome,
    result_on,
    failed_items: str = "",
    rectify_by: dt.date | None = None,
    acting_user,
) -> Sample:
    """The laboratory's result: passed, or failed with the failed items and a rectification
    deadline. The enterprise is told."""
    sample = _lock_sample(sample)
    policy.require(acting_user, SupervisionAction.WORK, sample)
    _refuse_if_published(sample.plan)
    if sample.outcome != Outcome.PENDING:
        raise ValidationError(
            _("The result of this sample is already recorded."), code="invalid_transition"
        )
    outcome = _outcome("outcome", outcome)
    _day("result_on", result_on, not_before=sample.sampled_on, label_before=_("the sampling"))
    items, deadline = _failure(outcome, failed_items, rectify_by, after=result_on)
    sample.outcome, sample.failed_items, sample.result_on = outcome, items, result_on
    sample.rectify_by = deadline
    sample.save(update_fields=["outcome", "failed_items", "result_on", "rectify_by"])
    if sample.plan.status == Status.SAMPLING:
        SpotCheckPlan.objects.filter(pk=sample.plan_id).update(status=Status.TESTING)
    _audit(sample, acting_user, "result", outcome=outcome, failed_items=items, rectify_by=deadline)
    if outcome == Outcome.FAIL:
        text = _(
            "the product failed (%(items)s). Rectify by %(deadline)s. You may ask for a re-test "
            "within %(days)s days of receiving this result."
        ) % {
            "items": items,
            "deadline": date_format(deadline, "Y-m-d"),
            "days": selectors.retest_days(sample.plan),
        }
    else:
        text = _("the product passed.")
    _notify_enterprise(sample, text)
    return sample


@transaction.atomic
def sample_received_record(*, sample: Sample, received_on, acting_user) -> Sample:
    """The day the enterprise received the result (the notice was served): the re-test clock
    starts."""
    sample = _lock_sample(sample)
    policy.require(acting_user, SupervisionAction.WORK, sample)
    if sample.outcome == Outcome.PENDING:
        raise ValidationError(
            _("The laboratory's result is not recorded yet."), code="invalid_transition"
        )
    if sample.received_on is not None:
        raise ValidationError(
            _("The enterprise received the result on %(date)s.")
            % {"date": date_format(sample.received_on, "Y-m-d")},
            code="duplicate",
        )
    _day("received_on", received_on, not_before=sample.result_on, label_before=_("the result"))
    sample.received_on = received_on
    sample.save(update_fields=["received_on"])
    _audit(sample, acting_user, "received", received_on=received_on, by="unit")
    return sample


@transaction.atomic
def sample_opened(*, sample: Sample, acting_user) -> Sample:
    """An enterprise user opened a result: if nobody recorded its receipt, it is received today."""
    policy.require(acting_user, SupervisionAction.RESPOND, sample)
    if sample.received_on is not None:
        return sample
    today = selectors._today()
    # One conditional update: two pages opened at once record the day once.
    marked = (
        Sample.objects.filter(pk=sample.pk, received_on__isnull=True)
        .exclude(outcome=Outcome.PENDING)
        .update(received_on=today)
    )
    if marked:
        sample.received_on = today
        _audit(sample, acting_user, "received", received_on=today, by="enterprise")
    return sample


@transaction.atomic
def sample_retest_request(*, sample: Sample, acting_user) -> Sample:
    """The enterprise asks for a re-test of a failed result, within the re-test days of
    receiving it (calendar days); refused after, with the day the window closed."""
    policy.require(acting_user, SupervisionAction.RESPOND, sample)
    sample = _lock_sample(sample)
    if sample.outcome != Outcome.FAIL:
        raise ValidationError(
            _("Only a failed result can be re-tested."), code="invalid_transition"
        )
    if sample.retest_requested_on is not None:
        raise ValidationError(
            _("A re-test was asked for on %(date)s.")
            % {"date": date_format(sample.retest_requested_on, "Y-m-d")},
            code="duplicate",
        )
    _refuse_if_published(sample.plan)
    today = selectors._today()
    if sample.received_on is None:  # asking is proof enough of having the result
        sample.received_on = today
        _audit(sample, acting_user, "received", received_on=today, by="enterprise")
    closes = selectors.retest_closes_on(sample)
    if today > closes:
        raise ValidationError(
            _(
                "The re-test window closed on %(date)s: a re-test can be asked for within "
                "%(days)s days of receiving the result."
            )
            % {"date": date_format(closes, "Y-m-d"), "days": selectors.retest_days(sample.plan)},
            code="closed",
        )
    sample.retest_requested_on = today
    sample.save(update_fields=["received_on", "retest_requested_on"])
    _audit(sample, acting_user, "retest_requested", window_closes=closes)
    creator = sample.plan.created_by
    if creator is not None and creator.email:
        notify_on_commit(
            Notification(
                subject=_("Product quality spot check"),
                text=_("%(enterprise)s asked for a re-test of sample %(number)s.")
                % {"enterprise": sample.enterprise.name, "number": sample.number},
                email=creator.email,
            )
        )
    return sample


@transaction.atomic
def sample_retest_result_record(
    *,
    sample: Sample,
    outcome,
    retest_on,
    failed_items: str = "",
    rectify_by: dt.date | None = None,
    acting_user,
) -> Sample:
    """The re-test's result, which replaces the first for the figures and the notice. A pass
    lifts the rectification order; a failure names its items and a deadline."""
    sample = _lock_sample(sample)
    policy.require(acting_user, SupervisionAction.WORK, sample)
    if sample.retest_requested_on is None:
        raise ValidationError(_("No re-test was asked for."), code="invalid_transition")
    if sample.retest_outcome:
        raise ValidationError(
            _("The re-test's result is already recorded."), code="invalid_transition"
        )
    outcome = _outcome("outcome", outcome)
    _day(
        "retest_on",
        retest_on,
        not_before=sample.retest_requested_on,
        label_before=_("the request"),
    )
    first = {"failed_items": sample.failed_items, "rectify_by": sample.rectify_by}
    if outcome == Outcome.FAIL:
        sample.failed_items, sample.rectify_by = _failure(
            outcome, failed_items, rectify_by, after=retest_on
        )
    else:
        sample.rectify_by = None
    sample.retest_outcome, sample.retest_on = outcome, retest_on
    sample.save(update_fields=["retest_outcome", "retest_on", "failed_items", "rectify_by"])
    _audit(
        sample,
        acting_user,
        "retest_result",
        outcome=outcome,
        failed_items=sample.failed_items,
        rectify_by=sample.rectify_by,
        first=first,
    )
    if outcome == Outcome.FAIL:
        text = _("the re-test confirmed the failure (%(items)s). Rectify by %(deadline)s.") % {
            "items": sample.failed_items,
            "deadline": date_format(sample.rectify_by, "Y-m-d"),
        }
    else:
        text = _("the re-test passed; it replaces the first result.")
    _notify_enterprise(sample, text)
    return sample


@transaction.atomic
def sample_recheck_record(*, sample: Sample, outcome, recheck_on, acting_user) -> Sample:
    """The re-check after the rectification deadline's order: passed (rectified) or failed."""
    sample = _lock_sample(sample)
    policy.require(acting_user, SupervisionAction.WORK, sample)
    if sample.retest_requested_on and not sample.retest_outcome:
        raise ValidationError(_("Record the re-test's result first."), code="invalid_transition")
    if sample.final_outcome != Outcome.FAIL or sample.rectify_by is None:
        raise ValidationError(
            _("Only a failed sample with a rectification order is re-checked."),
            code="invalid_transition",
        )
    if sample.recheck_outcome:
        raise ValidationError(_("The re-check is already recorded."), code="invalid_transition")
    outcome = _outcome("outcome", outcome)
    last = sample.retest_on or sample.result_on
    _day("recheck_on", recheck_on, not_before=last, label_before=_("the result"))
    sample.recheck_outcome, sample.recheck_on = outcome, recheck_on
    sample.save(update_fields=["recheck_outcome", "recheck_on"])
    _audit(sample, acting_user, "recheck", outcome=outcome, recheck_on=recheck_on)
    _notify_enterprise(
        sample,
        _("the re-check after rectification passed.")
        if outcome == Outcome.PASS
        else _("the re-check after rectification failed."),
    )
    return sample


# --- the results notice --------------------------------------------------------------------------
@transaction.atomic
def spot_check_plan_publish(*, plan: SpotCheckPlan, notice, acting_user) -> SpotCheckPlan:
    """Publishes the plan's results notice: only when every sample has its final result and no
    re-test window is open. `notice` None takes the text generated from the figures."""
    plan = _lock_plan(plan)
    policy.require(acting_user, SupervisionAction.PUBLISH, plan)
    if plan.status == Status.PUBLISHED:
        raise ValidationError(
            _("The results notice is already published."), code="invalid_transition"
        )
    blockers = selectors.publish_blockers(plan)
    if blockers:
        raise ValidationError(
            _("The notice cannot be published yet: %(why)s") % {"why": " ".join(blockers)},
            code="too_early",
        )
    text = (
        selectors.notice_draft(plan)
        if notice is None
        else clean_text("notice", notice, limit=NOTICE_MAX, multiline=True)
    )
    plan.notice, plan.status, plan.published_at = text, Status.PUBLISHED, timezone.now()
    plan.save(update_fields=["notice", "status", "published_at"])
    figures = selectors.plan_figures(plan)
    _audit(
        plan,
        acting_user,
        "published",
        samples=figures.total.tested,
        failed=figures.total.failed,
    )
    return plan
