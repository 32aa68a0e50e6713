"""The campaign office's quiz pages: question bank, quiz settings, statistics, flagged attempts."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qualitymonth.campaigns.selectors import campaigns_managed_by
from qualitymonth.core.forms import posted_text
from qualitymonth.core.permissions import Action
from qualitymonth.core.views import (
    add_service_errors,
    office_required,
    paginate,
    render_partial,
    require,
)
from qualitymonth.quiz import selectors, services
from qualitymonth.quiz.forms import (
    BankImportForm,
    DrawRuleFormSet,
    ExcludeForm,
    QuestionForm,
    QuizCreateForm,
    QuizForm,
)
from qualitymonth.quiz.models import Attempt, DrawRule, Question, QuestionDomain, Quiz
from qualitymonth.quiz.services.bank import bank_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _office(request) -> None:
    require(request.user, Action.CAMPAIGN_MANAGE)


@office_required
def questions(request):
    _office(request)
    filters = {k: request.GET.get(k, "") for k in ("q", "domain", "kind", "difficulty", "active")}
    context = {
        "page": paginate(request, selectors.question_list(filters=filters), per_page=30),
        "filters": filters,
        "domains": QuestionDomain.choices,
        "kinds": Question.Kind.choices,
        "quizzes": Quiz.objects.select_related("campaign")[:10],
    }
    return render_partial(request, "quiz/office/questions.html", "results", context)


@office_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk: int | None = None):
    _office(request)
    question = get_object_or_404(Question, pk=pk) if pk else None
    form = QuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(
                acting_user=request.user, question=question, data=form.service_data()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Question saved."))
            return redirect("office_quiz:questions")
    return render(
        request,
        "quiz/office/question_form.html",
        {"form": form, "question": question},
        status=400 if form.errors else 200,
    )


@office_required
def questions_export(request):
    _office(request)
    filters = {k: request.GET.get(k, "") for k in ("q", "domain", "kind", "difficulty", "active")}
    response = HttpResponse(
        bank_workbook(selectors.question_list(filters=filters)), content_type=XLSX
    )
    response["Content-Disposition"] = 'attachment; filename="question-bank.xlsx"'
    return response


@office_required
@require_http_methods(["GET", "POST"])
def questions_import(request):
    _office(request)
    form = BankImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = services.questions_import(acting_user=request.user, file=form.cleaned_data["file"])
        if result.ok:
            messages.success(request, _("%(n)s questions imported.") % {"n": result.created})
            return redirect("office_quiz:questions")
    status = 400 if form.errors or (result and not result.ok) else 200
    return render(
        request, "quiz/office/import.html", {"form": form, "result": result}, status=status
    )


@office_required
@require_http_methods(["GET", "POST"])
def quiz_settings(request, slug: str):
    quiz = get_object_or_404(Quiz.objects.select_related("campaign__region"), slug=slug)
    require(request.user, Action.CAMPAIGN_MANAGE, quiz.campaign)
    return _quiz_form(request, quiz, QuizForm(request.POST or None, instance=quiz))


@office_required
@require_http_methods(["GET", "POST"])
def quiz_new(request):
    _office(request)
    form = QuizCreateForm(request.POST or None, campaigns=campaigns_managed_by(request.user))
    return _quiz_form(request, None, form)


def _quiz_form(request, quiz: Quiz | None, form):
    """A quiz's settings with its draw rules, new or existing, saved by one service."""
    rules = DrawRuleFormSet(
        request.POST or None,
        queryset=DrawRule.objects.filter(quiz=quiz) if quiz else DrawRule.objects.none(),
        prefix="rules",
    )
    if request.method == "POST" and form.is_valid() and rules.is_valid():
        kept = [
            {
                "domain": f.cleaned_data["domain"],
                "difficulty": f.cleaned_data["difficulty"],
                "count": f.cleaned_data["count"],
            }
            for f in rules.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("count")
        ]
        try:
            services.quiz_save(acting_user=request.user, quiz=form.instance, rules=kept)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Quiz settings saved."))
            return redirect("office_quiz:settings", form.instance.slug)
    context = {"quiz": quiz, "form": form, "rules": rules}
    return render(
        request,
        "quiz/office/quiz_form.html",
        context,
        status=400 if request.method == "POST" else 200,
    )


@office_required
def quiz_stats(request, slug: str):
    quiz = get_object_or_404(Quiz.objects.select_related("campaign__region"), slug=slug)
    require(request.user, Action.CAMPAIGN_MANAGE, quiz.campaign)
    attempts = Attempt.objects.filter(quiz=quiz)
    context = {
        "quiz": quiz,
        "page": paginate(request, selectors.question_stats(quiz), per_page=50),
        "totals": {
            "attempts": attempts.count(),
            "finished": attempts.filter(status__in=Attempt.FINISHED).count(),
            "people": attempts.values("participant").distinct().count(),
            "flagged": selectors.flagged_attempts(quiz).count(),
        },
    }
    return render(request, "quiz/office/stats.html", context)


@office_required
def flagged(request, slug: str):
    quiz = get_object_or_404(Quiz.objects.select_related("campaign__region"), slug=slug)
    require(request.user, Action.CAMPAIGN_MANAGE, quiz.campaign)
    context = {
        "quiz": quiz,
        "page": paginate(request, selectors.flagged_attempts(quiz)),
        "form": ExcludeForm(),
    }
    return render(request, "quiz/office/flagged.html", context)


@office_required
@require_POST
def attempt_exclude(request, pk: int):
    attempt = get_object_or_404(Attempt.objects.select_related("quiz__campaign__region"), pk=pk)
    require(request.user, Action.CAMPAIGN_MANAGE, attempt.quiz.campaign)
    exclude = request.POST.get("action", "exclude") == "exclude"
    try:
        services.attempt_set_excluded(
            acting_user=request.user,
            attempt=attempt,
            excluded=exclude,
            reason=posted_text(request, "reason"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Attempt excluded from the leaderboard.") if exclude else _("Attempt counted again."),
        )
    return redirect("office_quiz:flagged", attempt.quiz.slug)
