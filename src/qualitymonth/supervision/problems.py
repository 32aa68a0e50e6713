"""What supervision adds to an enterprise's quality problems (enterprises.problems): inspections
of its subjects that found hazards, its spot-check samples that failed in the end (after any
re-test), and enforcement cases against it that were not revoked. Registered when the app is
ready."""

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from qualitymonth.enterprises import problems
from qualitymonth.supervision.models import Case, Inspection, Result, Sample


def _count(qs, group: str):
    counted = qs.order_by().values(group).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(counted), 0, output_field=IntegerField())


def failed_inspections():
    return _count(
        Inspection.objects.filter(
            subject__enterprise=OuterRef("pk"),
            status=Inspection.Status.SIGNED,
            result__in=[Result.RECTIFY, Result.CASE],
        ),
        "subject__enterprise",
    )


def failed_samples():
    fail = Sample.Outcome.FAIL
    return _count(
        Sample.objects.filter(enterprise=OuterRef("pk")).filter(
            Q(retest_outcome=fail) | Q(retest_outcome="", outcome=fail)
        ),
        "enterprise",
    )


def cases():
    return _count(
        Case.objects.filter(enterprise=OuterRef("pk")).exclude(status=Case.Status.REVOKED),
        "enterprise",
    )


def register() -> None:
    problems.register(
        problems.Source("inspections", lambda: _("Inspections finding hazards"), failed_inspections)
    )
    problems.register(problems.Source("samples", lambda: _("Failed spot checks"), failed_samples))
    problems.register(problems.Source("cases", lambda: _("Enforcement cases"), cases))
