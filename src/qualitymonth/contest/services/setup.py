"""Setting a contest up in the back office: dates, limits, categories, rubric, awards, judges.

The office sends the whole set-up at once; rows it no longer lists are removed, unless removing
them would lose work already done (entries in a category, scores given by a judge, a rubric that
judges have used)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from qualitymonth.contest.models import Assignment, AwardRule, Category, Contest, Criterion, Judge
from qualitymonth.core.audit import audit_record
from qualitymonth.core.permissions import Action, policy


@dataclass(frozen=True)
class Rows:
    """What the office wants each list to hold; a row with `pk` changes that row, without adds."""

    categories: list[dict]
    criteria: list[dict]
    awards: list[dict]
    judges: list[dict]


@transaction.atomic
def contest_save(*, acting_user, contest: Contest, rows: Rows) -> Contest:
    """Create or change a contest with everything hanging from it, in one transaction."""
    policy.require(acting_user, Action.CONTEST_MANAGE, contest)
    creating = contest.pk is None
    stored = None if creating else Contest.objects.select_for_update().get(pk=contest.pk)
    if stored and stored.results_confirmed_at:
        raise ValidationError(
            _("The awards are confirmed; the contest's set-up can no longer change."),
            code="finished",
        )
    changed = [
        f.name
        for f in Contest._meta.concrete_fields
        if stored and getattr(stored, f.attname) != getattr(contest, f.attname)
    ]
    if not rows.categories:
        raise ValidationError(_("Give the contest at least one category."))
    check_rubric(rows.criteria)
    contest.full_clean()
    contest.save()
    scored = Assignment.objects.filter(entry__contest=contest, scored_at__isnull=False)
    categories = _sync_categories(contest, rows.categories)
    _sync_criteria(contest, rows.criteria, judging_started=scored.exists())
    _sync_awards(contest, rows.awards, categories)
    _sync_judges(contest, rows.judges, scored)
    audit_record(
        actor=acting_user,
        event_type="contest.create" if creating else "contest.configure",
        target=contest,
        changed=changed,
        categories=[row["code"] for row in rows.categories],
        criteria=[[row["name"], row["weight"]] for row in rows.criteria],
        awards=[
            [row.get("category_code") or "*", row["level"], row["count"]] for row in rows.awards
        ],
        judges=[row["user"].get_username() for row in rows.judges],
    )
    return contest


def judge_account(username: str, *, judge_pk: int | None = None):
    """The account a judge row names: an active one, or the closed account of a judge already
    on the contest (their scores count, so they stay)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None or user.is_active:
        return user
    stays = judge_pk is not None and Judge.objects.filter(pk=judge_pk, user=user).exists()
    return user if stays else None


def check_rubric(criteria: list[dict]) -> None:
    total = sum(row["weight"] for row in criteria)
    if not criteria or total != 100:
        raise ValidationError(
            _("The weights of the criteria add up to %(n)d%%; they must add up to 100%%.")
            % {"n": total}
        )


def _kept(existing, rows: list[dict]) -> tuple[dict, list]:
    """The existing rows by pk, and those the office no longer lists."""
    by_pk = {obj.pk: obj for obj in existing}
    listed = {row["pk"] for row in rows if row.get("pk")}
    unknown = listed - by_pk.keys()
    if unknown:  # a row of another contest, or one removed meanwhile: refuse, change nothing
        raise ValidationError(_("The set-up changed while you were editing it; reload the page."))
    return by_pk, [obj for pk, obj in by_pk.items() if pk not in listed]


def _sync_categories(contest: Contest, rows: list[dict]) -> dict[str, Category]:
    codes = [row["code"] for row in rows]
    if len(set(codes)) != len(codes):
        raise ValidationError(_("Each category needs its own code."))
    by_pk, dropped = _kept(contest.categories.all(), rows)
    for category in dropped:
        if category.entries.exists():
            raise ValidationError(
                _("The category “%(name)s” has entries and cannot be removed.")
                % {"name": category.name}
            )
        category.delete()
    saved = {}
    try:
        with transaction.atomic():  # two categories swapping codes meet the unique constraint
            for order, row in enumerate(rows):
                category = by_pk.get(row.get("pk")) or Category(contest=contest)
                category.code, category.name, category.order = row["code"], row["name"], order
                category.name_en = row.get("name_en", "")
                category.save()
                saved[category.code] = category
    except IntegrityError:
        raise ValidationError(_("Codes cannot be swapped in one save; use a new code.")) from None
    return saved


def _sync_criteria(contest: Contest, rows: list[dict], *, judging_started: bool) -> None:
    by_pk, dropped = _kept(contest.criteria.all(), rows)
    if judging_started:
        # Scores are kept per criterion and weighted at scoring time: the rubric is fixed now.
        unchanged = not dropped and all(
            row.get("pk")
            and (by_pk[row["pk"]].weight, by_pk[row["pk"]].max_score)
            == (row["weight"], row["max_score"])
            for row in rows
        )
        if not unchanged:
            raise ValidationError(
                _(
                    "Judges have already scored entries: criteria can be renamed, but not added, "
                    "removed or weighted differently."
                )
            )
    for criterion in dropped:
        criterion.delete()
    for order, row in enumerate(rows):
        criterion = by_pk.get(row.get("pk")) or Criterion(contest=contest)
        for name in ("name", "description", "weight", "max_score"):
            setattr(criterion, name, row[name])
        criterion.order = order
        criterion.save()


def _sync_awards(contest: Contest, rows: list[dict], categories: dict[str, Category]) -> None:
    seen = set()
    for row in rows:
        key = (row.get("category_code") or "", row["level"])
        if key in seen:
            raise ValidationError(_("Each award appears once per category."))
        seen.add(key)
        if key[0] and key[0] not in categories:
            raise ValidationError(_("An award names a category the contest does not have."))
    contest.award_rules.all().delete()  # nothing refers to the rules: replace them
    AwardRule.objects.bulk_create(
        AwardRule(
            contest=contest,
            category=categories.get(row.get("category_code") or ""),
            level=row["level"],
            count=row["count"],
        )
        for row in rows
    )


def _sync_judges(contest: Contest, rows: list[dict], scored) -> None:
    users = [row["user"].pk for row in rows]
    if len(set(users)) != len(users):
        raise ValidationError(_("A person is listed as a judge twice."))
    by_pk, dropped = _kept(contest.judges.select_related("user"), rows)
    # A judge removed and added again on a new row is the same judge, with the work done.
    returning = {judge.user_id: judge for judge in dropped if judge.user_id in users}
    for judge in dropped:
        if judge.user_id in returning:
            continue
        if scored.filter(judge=judge).exists():
            raise ValidationError(
                _("%(name)s has already scored entries and stays a judge.") % {"name": judge}
            )
        judge.delete()  # with the unscored assignments; "assign judges" gives them to others
    for row in rows:
        judge = by_pk.get(row.get("pk"))
        if judge is not None and judge.user_id != row["user"].pk:
            raise ValidationError(
                _("A judge's account cannot change: remove the judge and add the other person.")
            )
        judge = judge or returning.get(row["user"].pk) or Judge(contest=contest)
        judge.user, judge.unit = row["user"], row.get("unit")
        judge.save()
