"""What goes public of a case: its penalty publicity by the 2021 rules (市场监督管理行政处罚信息
公示规定) and its write-up as a typical case.

- Only decisions under the ordinary procedure are published; a warning alone is not; cases of
  minors never are. Due within 20 working days of the decision.
- The text is generated from the case with the personal data of natural persons other than the
  party removed (`redact`), the party masked when a person, and may be edited before publishing.
- Visible 3 months (public criticism or a lower fine, the city's threshold by party kind) or
  3 years (others; longer when a restriction lasts longer), then removed (`publicity_expire`).
- A revised or revoked decision is withdrawn within 3 working days.
- Early removal on application only when its four conditions hold, never for revocations of
  licences, stop orders and the like.
- A typical case is public only while its case's publicity is."""

import calendar
import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from qualitymonth.core.audit import audit_record
from qualitymonth.core.notify import Notification, notify_on_commit
from qualitymonth.core.permissions import policy
from qualitymonth.core.validators import clean_text, field_error, mask_name
from qualitymonth.core.workdays import add_workdays
from qualitymonth.supervision.models import Case, Publicity, Rules, TypicalCase
from qualitymonth.supervision.permissions import SupervisionAction
from qualitymonth.supervision.services.cases import (
    NO_EARLY_REMOVAL,
    decision_labels,
)

PUBLISH_WORKDAYS = 20
WITHDRAW_WORKDAYS = 3
TEXT_MAX = 8000
SHORT_KINDS = frozenset({"warning", "criticism", "fine"})
EARLY_CONDITIONS = ("carried_out", "harm_removed", "no_repeat", "not_listed")


def _audit(obj, actor, event: str, **detail) -> None:
    audit_record(actor=actor, event_type=f"supervision.case.{event}", target=obj, **detail)


# --- redaction -----------------------------------------------------------------------------------
_ID_RE = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
_BANK_RE = re.compile(r"(?<!\d)\d(?:[ -]?\d){15,18}(?!\d)")
_MOBILE_RE = re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)")
_LANDLINE_RE = re.compile(r"(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3}-)[ ]?[2-8]\d{6,7}(?!\d)")
_EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
# A label and what follows it up to the end of the clause: an address or a health matter.
_ADDRESS_RE = re.compile(
    r"((?:家庭住址|住址|住所地?|现住|居住于|家住|户籍地)[：:为在是]?)[^，。；;,、（）()\n]+"
)
_HEALTH_RE = re.compile(
    r"((?:诊断为|确诊为?|患有|病史|病历|健康状况|身体状况|检查结果显示)[：:为是]?)[^，。；;,、（）()\n]+"
)
# "消费者张某某": a person named beside their role; the name is masked, the role kept.
# The commonest Chinese surnames (they cover most people): a role word followed by one of them
# and one or two more characters is taken for a name (消费者张三), where 消费者投诉 is not. A
# two-character name before a verb loses the verb's first character too: masking errs wide.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤庄洪柯甘骆詹翁颜欧阳"
)
_PERSON_RE = re.compile(
    r"((?:消费者|投诉人|举报人|证人|购买者|顾客|患者|员工|职工|学生|家长|检查员|执法人员|"
    r"工作人员|负责人|经营者|店主|司机|业主)[：:]?)"
    rf"([{_SURNAMES}][\u4e00-\u9fa5]{{1,2}})"
)


def redact(text: str, *, keep=()) -> str:
    """Text with the personal data of natural persons removed: ID-card, bank-account, mobile and
    telephone numbers, e-mail addresses, addresses and health matters, and the names of people
    named by their role (消费者张三 → 消费者张*). Strings in `keep` (the party's name and code)
    are left as they are."""
    removed = _("[removed]")
    kept: dict[str, str] = {}
    for i, value in enumerate(v for v in keep if v):
        token = f"\ue000{i}\ue001"
        kept[token] = value
        text = text.replace(value, token)
    text = _ID_RE.sub(removed, text)
    text = _BANK_RE.sub(removed, text)
    text = _MOBILE_RE.sub(removed, text)
    text = _EMAIL_RE.sub(removed, text)
    text = _LANDLINE_RE.sub(removed, text)
    text = _ADDRESS_RE.sub(lambda m: m.group(1) + removed, text)
    text = _HEALTH_RE.sub(lambda m: m.group(1) + removed, text)
    text = _PERSON_RE.sub(lambda m: m.group(1) + mask_name(m.group(2)), text)
    for token, value in kept.items():
        text = text.replace(token, value)
    return text


# --- the rules -----------------------------------------------------------------------------------
def is_publishable(case: Case) -> bool:
    kinds = set(case.decisions or [])
    return (
        case.procedure == Case.Procedure.ORDINARY
        and not case.party_is_minor
        and bool(kinds)
        and kinds != {"warning"}
    )


def period_for(case: Case) -> str:
    """3 months for public criticism or a lower fine (with or without a warning); else 3 years."""
    kinds = set(case.decisions or []) - {"warning"}
    if not kinds <= SHORT_KINDS:
        return Publicity.Period.LONG
    if "fine" in kinds:
        rules = Rules.for_region(case.region)
        threshold = (
            rules.lower_fine_person
            if case.party_kind == Case.PartyKind.PERSON
            else rules.lower_fine_organisation
        )
        if case.fine_amount is None or case.fine_amount > threshold:
            return Publicity.Period.LONG
    return Publicity.Period.SHORT


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def visible_until_for(period: str, published_on: dt.date, at_least: dt.date | None) -> dt.date:
    end = add_months(published_on, 3 if period == Publicity.Period.SHORT else 36)
    return max(end, at_least) if at_least else end


def party_shown(case: Case) -> str:
    """The party as the public sees it: an organisation by name, a person masked."""
    if case.party_kind == Case.PartyKind.PERSON:
        return mask_name(case.party_name)
    return case.party_name


def public_text(case: Case, text: str) -> str:
    """Text typed for the public site about the case (a corrected publicity, a typical case's
    write-up) with the same redaction as the generated text: others' personal data removed,
    the party kept, or masked when a natural person."""
    keep = [case.party_name]
    if case.enterprise_id:
        keep.append(case.enterprise.uscc)
    text = redact(text, keep=keep)
    if case.party_kind == Case.PartyKind.PERSON and case.party_name:
        text = text.replace(case.party_name, party_shown(case))
    return text


def _line(label, value) -> str:
    """One "label：value" line of a published record (gettext cannot see into f-strings)."""
    return f"{label}：{value}"


def publicity_text(case: Case) -> str:
    """The published text, in Chinese (the language of the official record)."""
    with translation.override("zh-hans"):
        keep = [case.party_name]
        if case.enterprise_id:
            keep.append(case.enterprise.uscc)
        party = party_shown(case)
        lines = [
            _line(pgettext("penalty publicity", "Decision number"), case.decision_number),
            _line(pgettext("penalty publicity", "Party"), party),
        ]
        if case.enterprise_id:
            lines.append(
                _line(
                    pgettext("penalty publicity", "Unified social credit code"),
                    case.enterprise.uscc,
                )
            )
        facts = redact(case.facts, keep=keep)
        if case.party_kind == Case.PartyKind.PERSON:
            facts = facts.replace(case.party_name, party)
        lines.append(_line(pgettext("penalty publicity", "Main facts of the violation"), facts))
        if case.legal_basis:
            lines.append(_line(pgettext("penalty publicity", "Legal basis"), case.legal_basis))
        penalties = "、".join(decision_labels(case.decisions))
        if case.fine_amount:
            penalties += _("; fine of %(amount)s yuan") % {"amount": case.fine_amount}
        lines.append(_line(pgettext("penalty publicity", "Penalty"), penalties))
        if case.decision_text:
            text = redact(case.decision_text, keep=keep)
            if case.party_kind == Case.PartyKind.PERSON:
                text = text.replace(case.party_name, party)
            lines.append(_line(pgettext("penalty publicity", "Decision"), text))
        lines.append(_line(pgettext("penalty publicity", "Authority"), case.unit.name))
        lines.append(
            _line(pgettext("penalty publicity", "Decided on"), f"{case.decided_on:%Y-%m-%d}")
        )
    return "\n".join(lines)


# --- following the case --------------------------------------------------------------------------
def publicity_on_decision(
    *, case: Case, acting_user, restriction_until: dt.date | None = None
) -> Publicity | None:
    """Called by case_decide: the publicity row, due in 20 working days, when the rules
    publish the decision. Until it is published, `visible_until` holds the end of a lasting
    restriction (the publicity lasts at least that long)."""
    if not is_publishable(case):
        _audit(case, acting_user, "not_published", reason=_why_not(case))
        return None
    publicity = Publicity.objects.create(
        case=case,
        text=publicity_text(case),
        period=period_for(case),
        due_on=add_workdays(case.decided_on, PUBLISH_WORKDAYS),
        visible_until=restriction_until,
    )
    _audit(
        publicity, acting_user, "publicity_due", due_on=publicity.due_on, period=publicity.period
    )
    return publicity


def _why_not(case: Case) -> str:
    if case.party_is_minor:
        return "minor"
    if case.procedure != Case.Procedure.ORDINARY:
        return "simplified_procedure"
    return "warning_only"


def publicity_on_change(*, case: Case, acting_user) -> None:
    """Called by case_change: a published record is to be withdrawn within 3 working days; one
    not yet published follows the decision as it now is."""
    publicity = Publicity.objects.select_for_update().filter(case=case).first()
    if publicity is None:
        if case.status == Case.Status.REVISED:
            publicity_on_decision(case=case, acting_user=acting_user)
        return
    if publicity.status == Publicity.Status.PUBLISHED:
        publicity.withdraw_due = add_workdays(case.changed_on, WITHDRAW_WORKDAYS)
        publicity.save(update_fields=["withdraw_due"])
        _audit(publicity, acting_user, "withdrawal_due", withdraw_due=publicity.withdraw_due)
    elif publicity.status == Publicity.Status.DUE or (
        # Closed unpublished when a revision made it a warning alone; revised again into a
        # penalty that is published, it is due again.
        publicity.status == Publicity.Status.WITHDRAWN
        and case.status == Case.Status.REVISED
        and is_publishable(case)
    ):
        _follow_change(publicity, case, acting_user)


def _follow_change(publicity: Publicity, case: Case, acting_user) -> None:
    """A record not (or no longer) public after the decision changed: the revised decision is
    due again, from the day of the change; a revoked or no longer publishable one is closed."""
    if case.status == Case.Status.REVISED and is_publishable(case):
        publicity.text = publicity_text(case)
        publicity.period = period_for(case)
        publicity.due_on = add_workdays(case.changed_on, PUBLISH_WORKDAYS)
        publicity.status = Publicity.Status.DUE
        publicity.published_at = None
        publicity.visible_until = None
        publicity.withdraw_due = None
        _audit(publicity, acting_user, "publicity_due", due_on=publicity.due_on, revised=True)
    else:
        publicity.status = Publicity.Status.WITHDRAWN
        publicity.withdrawn_at = timezone.now()
        publicity.withdraw_due = None
        _audit(publicity, acting_user, "publicity_withdrawn", published=False)
        TypicalCase.objects.filter(case=case).exclude(status=TypicalCase.Status.WITHDRAWN).update(
            status=TypicalCase.Status.WITHDRAWN
        )
    publicity.save()


def _lock(publicity: Publicity) -> Publicity:
    return (
        Publicity.objects.select_for_update(of=("self",))
        .select_related("case__unit", "case__region", "case__enterprise")
        .get(pk=publicity.pk)
    )


@transaction.atomic
def publicity_edit(*, publicity: Publicity, text: str, acting_user) -> Publicity:
    """Corrects the text before it is published (what the redaction missed)."""
    publicity = _lock(publicity)
    policy.require(acting_user, SupervisionAction.WORK, publicity.case)
    if publicity.status != Publicity.Status.DUE:
        raise ValidationError(
            _("Only a record not yet published can be edited."), code="invalid_transition"
        )
    publicity.text = public_text(
        publicity.case, clean_text("text", text, limit=TEXT_MAX, multiline=True)
    )
    publicity.save(update_fields=["text"])
    _audit(publicity, acting_user, "publicity_edited")
    return publicity


@transaction.atomic
def publicity_publish(*, publicity: Publicity, acting_user, text: str | None = None) -> Publicity:
    """Publishes the record: visible from today for its period."""
    publicity = _lock(publicity)
    policy.require(acting_user, SupervisionAction.PUBLISH, publicity.case)
    if publicity.status != Publicity.Status.DUE:
        raise ValidationError(
            _("This record is not waiting to be published."), code="invalid_transition"
        )
    if publicity.case.status not in (Case.Status.DECIDED, Case.Status.REVISED):
        raise ValidationError(
            _("The decision was revoked: there is nothing to publish."), code="invalid_transition"
        )
    if text is not None:
        publicity.text = public_text(
            publicity.case, clean_text("text", text, limit=TEXT_MAX, multiline=True)
        )
    today = timezone.localdate()
    publicity.status = Publicity.Status.PUBLISHED
    publicity.published_at = timezone.now()
    publicity.visible_until = visible_until_for(publicity.period, today, publicity.visible_until)
    publicity.save()
    _audit(
        publicity,
        acting_user,
        "published",
        visible_until=publicity.visible_until,
        late=today > publicity.due_on,
    )
    return publicity


@transaction.atomic
def publicity_withdraw(*, publicity: Publicity, acting_user) -> Publicity:
    """Takes a published record down after its decision was revised or revoked (a revised
    decision is then due to be published in its new form)."""
    publicity = _lock(publicity)
    policy.require(acting_user, SupervisionAction.PUBLISH, publicity.case)
    if publicity.status != Publicity.Status.PUBLISHED or publicity.withdraw_due is None:
        raise ValidationError(
            _("Only a published record whose decision was changed is withdrawn."),
            code="invalid_transition",
        )
    late = timezone.localdate() > publicity.withdraw_due
    publicity.status = Publicity.Status.WITHDRAWN
    publicity.withdrawn_at = timezone.now()
    publicity.save()
    _audit(publicity, acting_user, "publicity_withdrawn", published=True, late=late)
    TypicalCase.objects.filter(case=publicity.case).exclude(
        status=TypicalCase.Status.WITHDRAWN
    ).update(status=TypicalCase.Status.WITHDRAWN)
    if publicity.case.status == Case.Status.REVISED:
        _follow_change(publicity, publicity.case, acting_user)
    return publicity


@transaction.atomic
def publicity_remove_early(
    *,
    publicity: Publicity,
    reason: str,
    acting_user,
    carried_out: bool = False,
    harm_removed: bool = False,
    no_repeat: bool = False,
    not_listed: bool = False,
) -> Publicity:
    """Ends the publicity before its period on the party's application: only when the penalty
    was carried out, the harm removed, no repeat within the period, and the party is on neither
    the list of abnormal operations nor that of serious violations; never for the revocation of
    a licence, an order to stop production or business, and the like."""
    publicity = _lock(publicity)
    policy.require(acting_user, SupervisionAction.PUBLISH, publicity.case)
    if publicity.status != Publicity.Status.PUBLISHED:
        raise ValidationError(_("The record is not on the public site."), code="invalid_transition")
    barred = set(publicity.case.decisions or []) & NO_EARLY_REMOVAL
    if barred:
        raise ValidationError(
            _(
                "Publicity of a revoked licence, an order to stop production or business, a "
                "closure, a restriction or an occupational ban cannot end early."
            ),
            code="not_allowed",
        )
    given = dict(
        carried_out=carried_out,
        harm_removed=harm_removed,
        no_repeat=no_repeat,
        not_listed=not_listed,
    )
    errors = {
        name: [ValidationError(_("Early removal needs this condition to hold."), "required")]
        for name, value in given.items()
        if value is not True
    }
    try:
        reason = clean_text("reason", reason, limit=300)
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    publicity.status = Publicity.Status.REMOVED_EARLY
    publicity.removed_at = timezone.now()
    publicity.removal_reason = reason
    publicity.save()
    _audit(publicity, acting_user, "publicity_removed_early", reason=reason)
    TypicalCase.objects.filter(case=publicity.case).exclude(
        status=TypicalCase.Status.WITHDRAWN
    ).update(status=TypicalCase.Status.WITHDRAWN)
    return publicity


@transaction.atomic
def publicity_expire(today: dt.date | None = None) -> int:
    """Removes from the public site every record whose period ended before `today` (and the
    typical cases written from them). Idempotent; returns how many records ended."""
    today = today or timezone.localdate()
    ended = list(
        Publicity.objects.select_for_update()
        .filter(status=Publicity.Status.PUBLISHED, visible_until__lt=today)
        .values_list("pk", "case_id")
    )
    publicity_ids = [row[0] for row in ended]
    case_ids = [row[1] for row in ended]
    if not ended:
        return 0
    now = timezone.now()
    Publicity.objects.filter(pk__in=publicity_ids).update(
        status=Publicity.Status.EXPIRED, removed_at=now
    )
    typical = TypicalCase.objects.filter(case_id__in=case_ids, status=TypicalCase.Status.PUBLISHED)
    typical_ids = list(typical.values_list("pk", flat=True))
    typical.update(status=TypicalCase.Status.WITHDRAWN)
    audit_record(
        actor=None,
        actor_label="supervision-publicity expire",
        event_type="supervision.case.publicity_expired",
        publicity=publicity_ids,
        typical_cases=typical_ids,
        today=today,
    )
    return len(ended)


# --- typical cases -------------------------------------------------------------------------------
def publicity_visible(case: Case, today: dt.date | None = None) -> bool:
    publicity = getattr(case, "publicity", None) if case.pk else None
    today = today or timezone.localdate()
    return (
        publicity is not None
        and publicity.status == Publicity.Status.PUBLISHED
        and publicity.visible_until is not None
        and publicity.visible_until >= today
    )


def _clean_typical(case, campaign, domain, title, facts, actions, warning) -> dict:
    errors: dict[str, list] = {}
    values = {}
    for field, value, limit, multiline in (
        ("title", title, 120, False),
        ("facts", facts, 5000, True),
        ("actions", actions, 3000, True),
        ("warning", warning, 2000, True),
    ):
        try:
            values[field] = public_text(
                case, clean_text(field, value, limit=limit, multiline=multiline)
            )
        except ValidationError as error:
            errors.update(error.error_dict)
    if campaign is None:
        errors["campaign"] = [ValidationError(_("Choose the campaign."), "required")]
    if domain is not None and campaign is not None and domain.campaign_id != campaign.pk:
        errors["domain"] = [ValidationError(_("Choose a domain of the campaign."), "invalid")]
    if errors:
        raise ValidationError(errors)
    return {**values, "campaign": campaign, "domain": domain}


@transaction.atomic
def typical_create(
    *, case: Case, campaign, domain, title: str, facts: str, actions: str, warning: str, acting_user
) -> TypicalCase:
    """Writes up a decided case whose penalty publicity is on the public site."""
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    policy.require(acting_user, SupervisionAction.WORK, case)
    if not publicity_visible(case):
        raise field_error(
            "case",
            _("Only a case whose penalty publicity is on the public site can be written up."),
        )
    if TypicalCase.objects.filter(case=case).exists():
        raise field_error("case", _("This case is already written up."), "duplicate")
    _check_campaign(case, campaign)
    values = _clean_typical(case, campaign, domain, title, facts, actions, warning)
    typical = TypicalCase.objects.create(case=case, written_by=acting_user, **values)
    _audit(typical, acting_user, "typical_created", case=case.number)
    return typical


def _check_campaign(case: Case, campaign) -> None:
    if campaign is not None and campaign.region_id not in {
        r.pk for r in case.region.ancestors_and_self()
    }:
        raise field_error("campaign", _("Choose a campaign of the case's city."))


def _tell_writer(typical: TypicalCase, text: str) -> None:
    writer = typical.written_by
    if writer is not None and writer.email:
        notify_on_commit(Notification(subject=_("Typical case"), text=text, email=writer.email))


def _lock_typical(typical: TypicalCase) -> TypicalCase:
    return (
        TypicalCase.objects.select_for_update(of=("self",))
        .select_related("case__publicity", "case__region", "campaign", "written_by")
        .get(pk=typical.pk)
    )


@transaction.atomic
def typical_update(
    *, typical: TypicalCase, campaign, domain, title, facts, actions, warning, acting_user
) -> TypicalCase:
    typical = _lock_typical(typical)
    policy.require(acting_user, SupervisionAction.WORK, typical.case)
    if typical.status not in (TypicalCase.Status.DRAFT, TypicalCase.Status.RETURNED):
        raise ValidationError(
            _("Only a draft or a returned write-up can be changed."), code="invalid_transition"
        )
    _check_campaign(typical.case, campaign)
    values = _clean_typical(typical.case, campaign, domain, title, facts, actions, warning)
    for name, value in values.items():
        setattr(typical, name, value)
    typical.save()
    _audit(typical, acting_user, "typical_updated")
    return typical


@transaction.atomic
def typical_submit(*, typical: TypicalCase, acting_user) -> TypicalCase:
    typical = _lock_typical(typical)
    policy.require(acting_user, SupervisionAction.WORK, typical.case)
    if typical.status not in (TypicalCase.Status.DRAFT, TypicalCase.Status.RETURNED):
        raise ValidationError(
            _("Only a draft or a returned write-up can be submitted."), code="invalid_transition"
        )
    if not publicity_visible(typical.case):
        raise ValidationError(
            _("The case's penalty publicity is no longer on the public site."),
            code="invalid_transition",
        )
    typical.status = TypicalCase.Status.SUBMITTED
    typical.save(update_fields=["status"])
    _audit(typical, acting_user, "typical_submitted")
    return typical


@transaction.atomic
def typical_approve(*, typical: TypicalCase, acting_user) -> TypicalCase:
    """A manager (or the office), never the writer, publishes the write-up."""
    typical = _lock_typical(typical)
    policy.require(acting_user, SupervisionAction.APPROVE, typical)
    if typical.status != TypicalCase.Status.SUBMITTED:
        raise ValidationError(
            _("Only a submitted write-up can be approved."), code="invalid_transition"
        )
    if not publicity_visible(typical.case):
        raise ValidationError(
            _("The case's penalty publicity is no longer on the public site."),
            code="invalid_transition",
        )
    typical.status = TypicalCase.Status.PUBLISHED
    typical.approved_by = acting_user
    typical.published_at = timezone.now()
    typical.return_reason = ""
    typical.save()
    _audit(typical, acting_user, "typical_approved")
    _tell_writer(typical, _("“%(title)s” was approved and published.") % {"title": typical.title})
    return typical


@transaction.atomic
def typical_return(*, typical: TypicalCase, reason: str, acting_user) -> TypicalCase:
    typical = _lock_typical(typical)
    policy.require(acting_user, SupervisionAction.APPROVE, typical)
    if typical.status != TypicalCase.Status.SUBMITTED:
        raise ValidationError(
            _("Only a submitted write-up can be returned."), code="invalid_transition"
        )
    typical.return_reason = clean_text("reason", reason, limit=300)
    typical.status = TypicalCase.Status.RETURNED
    typical.save(update_fields=["status", "return_reason"])
    _audit(typical, acting_user, "typical_returned", reason=typical.return_reason)
    _tell_writer(
        typical,
        _("“%(title)s” was returned: %(reason)s")
        % {"title": typical.title, "reason": typical.return_reason},
    )
    return typical
