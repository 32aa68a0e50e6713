"""The question bank: edit one question, import and export the bank as Excel, set up a quiz."""

import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qualitymonth.core.audit import audit_record
from qualitymonth.core.permissions import Action, policy
from qualitymonth.core.spreadsheets import (
    SpreadsheetError,
    SpreadsheetWriter,
    cell_text,
    read_sheet,
)
from qualitymonth.quiz.models import DrawRule, Question, QuestionDomain, Quiz

OPTION_LETTERS = "ABCDEFGH"
# (field, Chinese header, English header)
COLUMNS = [
    ("kind", "题型", "Kind"),
    ("domain", "领域", "Domain"),
    ("difficulty", "难度", "Difficulty"),
    ("stem", "题干", "Question"),
    *[(f"option_{letter}", f"选项{letter}", f"Option {letter}") for letter in OPTION_LETTERS[:6]],
    ("answer", "答案", "Answer"),
    ("explanation", "解析", "Explanation"),
    ("source", "出处", "Source"),
]
KIND_NAMES = {
    "single": ["单选", "单选题"],
    "multiple": ["多选", "多选题"],
    "truefalse": ["判断", "判断题"],
}
MAX_ROWS = 5000  # rows below the header, empty ones included


def _invalidate_pools() -> None:
    from qualitymonth.quiz import burst

    burst.forget_answer_keys()  # a corrected answer counts from the next submit on
    cache.delete_many(
        [
            f"quiz:pool:{q}:{d}:{f}"
            for q in Quiz.objects.values_list("pk", flat=True)
            for d in ["*", *QuestionDomain.values]
            for f in ["*", 1, 2, 3]
        ]
    )


def _require_office(user) -> None:
    policy.require(user, Action.CAMPAIGN_MANAGE, None)


@transaction.atomic
def question_save(*, acting_user, question: Question | None = None, data: dict) -> Question:
    _require_office(acting_user)
    created = question is None
    question = question or Question()
    for name, value in data.items():
        setattr(question, name, value)
    question.full_clean()
    question.save()
    audit_record(
        actor=acting_user,
        event_type="quiz.question_create" if created else "quiz.question_update",
        target=question,
        fields=sorted(data),
    )
    transaction.on_commit(_invalidate_pools)
    return question


# --- Excel ------------------------------------------------------------------------------------
@dataclass
class BankImportResult:
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _lookup(choices, names) -> dict[str, str]:
    table = {}
    for code, label in choices:
        for key in (code, str(label), *names.get(code, [])):
            table[key.lower()] = code
    return table


# The words an office writes in its sheet, fixed here so that rewording a menu label never
# breaks a bank file.
DOMAIN_NAMES = {
    "metrology": ["计量"],
    "standards": ["标准", "标准化"],
    "certification": ["认证认可", "认证"],
    "product_law": ["产品质量法", "产品质量"],
    "consumer": ["消费者权益", "消费维权"],
    "food_safety": ["食品安全"],
    "special_equipment": ["特种设备"],
    "quality_month": ["质量月与质量发展", "质量月"],
    "excellence": ["卓越绩效与质量管理", "质量管理"],
}


def _domain_names() -> dict[str, list[str]]:
    return DOMAIN_NAMES


def bank_workbook(questions) -> bytes:
    book = SpreadsheetWriter()
    sheet = book.add_sheet("题库 Questions")
    sheet.append([f"{zh} / {en}" for _f, zh, en in COLUMNS], bold=True)
    names = _domain_names()
    kinds = {code: names_[0] for code, names_ in KIND_NAMES.items()}
    for q in questions:
        options = list(q.options) + [""] * (6 - len(q.options))
        sheet.append(
            [
                kinds[q.kind],
                names.get(q.domain, [q.domain])[0],
                q.difficulty,
                q.stem,
                *options[:6],
                "".join(OPTION_LETTERS[i] for i in sorted(q.answer)),
                q.explanation,
                q.source,
            ]
        )
    return book.to_bytes()


def _header_key(cell) -> str | None:
    text = cell_text(cell).lower()
    parts = {p.strip() for p in re.split(r"[/|]", text)} | {text}
    for name, zh, en in COLUMNS:
        if parts & {zh.lower(), en.lower(), name}:
            return name
    return None


def _row_question(raw: dict, kinds: dict, domains: dict) -> tuple[Question | None, list[str]]:
    problems = []
    kind = kinds.get(cell_text(raw.get("kind")).lower())
    if kind is None:
        problems.append(_("Kind: use 单选, 多选 or 判断."))
    domain = domains.get(cell_text(raw.get("domain")).lower())
    if domain is None:
        problems.append(
            _("Domain: unknown value “%(value)s”.") % {"value": cell_text(raw.get("domain"))}
        )
    try:
        difficulty = int(cell_text(raw.get("difficulty")) or 1)
    except ValueError:
        difficulty = 0
    if difficulty not in (1, 2, 3):
        problems.append(_("Difficulty must be 1, 2 or 3."))
    stem = cell_text(raw.get("stem"))
    if not stem:
        problems.append(_("The question text is empty."))
    options = [cell_text(raw.get(f"option_{letter}")) for letter in OPTION_LETTERS[:6]]
    while options and not options[-1]:
        options.pop()
    if "" in options:
        problems.append(_("Options must be filled from A on without gaps."))
    if kind == Question.Kind.TRUE_FALSE and not options:
        options = ["正确", "错误"]
    letters = re.sub(r"[\s,，、;；]", "", cell_text(raw.get("answer")).upper())
    answer_map = {"正确": "A", "对": "A", "√": "A", "错误": "B", "错": "B", "×": "B"}
    letters = answer_map.get(letters, letters)
    if not letters or any(ch not in OPTION_LETTERS[: len(options)] for ch in letters):
        problems.append(_("Answer: give the letters of the correct options, e.g. B or ACD."))
    if problems:
        return None, problems
    question = Question(
        kind=kind,
        domain=domain,
        difficulty=difficulty,
        stem=stem,
        options=options,
        answer=sorted({OPTION_LETTERS.index(ch) for ch in letters}),
        explanation=cell_text(raw.get("explanation")),
        source=cell_text(raw.get("source"))[:200],
    )
    try:
        question.full_clean()
    except ValidationError as error:
        return None, error.messages
    return question, []


def questions_import(*, acting_user, file) -> BankImportResult:
    """All or nothing: a sheet with any bad row imports nothing and lists every bad row."""
    _require_office(acting_user)
    result = BankImportResult()
    try:
        rows = read_sheet(file, max_rows=MAX_ROWS)
    except SpreadsheetError as error:
        result.errors.extend(error.problems)
        return result
    columns = {i: _header_key(c) for i, c in enumerate(rows[0][1] if rows else ())}
    missing = {"kind", "domain", "stem", "option_A", "answer"} - set(columns.values())
    if missing:
        result.errors.append(
            (
                1,
                _("Missing columns: %(columns)s. Export the bank to see the layout.")
                % {"columns": "、".join(zh for name, zh, _en in COLUMNS if name in missing)},
            )
        )
        return result
    kinds = _lookup(Question.Kind.choices, KIND_NAMES)
    domains = _lookup(QuestionDomain.choices, _domain_names())
    existing = set(Question.objects.values_list("stem", flat=True))
    valid, seen = [], set()
    for number, row in rows[1:]:
        raw = {columns[i]: v for i, v in enumerate(row) if columns.get(i)}
        if all(cell_text(v) == "" for v in raw.values()):
            continue
        question, problems = _row_question(raw, kinds, domains)
        if question is not None and (question.stem in existing or question.stem in seen):
            problems = [_("The bank already has this question.")]
        if problems:
            result.errors.extend((number, message) for message in problems)
            continue
        seen.add(question.stem)
        valid.append(question)
    if not valid and not result.errors:
        result.errors.append((2, _("The sheet has no question rows.")))
    if result.errors:
        return result
    with transaction.atomic():
        Question.objects.bulk_create(valid)
        audit_record(actor=acting_user, event_type="quiz.question_import", count=len(valid))
        transaction.on_commit(_invalidate_pools)
    result.created = len(valid)
    return result


# --- quiz setup -------------------------------------------------------------------------------
@transaction.atomic
def quiz_save(*, acting_user, quiz: Quiz, rules: list[dict]) -> Quiz:
    """Save a quiz's settings with its draw rules (replacing the old rules)."""
    policy.require(acting_user, Action.CAMPAIGN_MANAGE, quiz.campaign)
    if not rules:
        raise ValidationError(_("Give at least one draw rule."))
    quiz.full_clean()
    quiz.save()
    quiz.rules.all().delete()
    DrawRule.objects.bulk_create(DrawRule(quiz=quiz, **rule) for rule in rules)
    # The bank must be able to fill a paper: check now, not when the first citizen starts.
    from qualitymonth.quiz.services.attempts import draw_paper

    draw_paper(quiz)
    audit_record(actor=acting_user, event_type="quiz.configure", target=quiz, rules=rules)
    return quiz
