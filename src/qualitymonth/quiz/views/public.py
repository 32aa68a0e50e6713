"""The citizen's quiz: landing page, mobile verification, the paper, the result, the leaderboard."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from qualitymonth.core import ratelimit
from qualitymonth.core.identity import verify_mobile_step
from qualitymonth.core.validators import mask_name
from qualitymonth.core.views import add_service_errors
from qualitymonth.quiz import burst, identity, leaderboard, selectors, services
from qualitymonth.quiz.documents import quiz_certificate_pdf
from qualitymonth.quiz.forms import CertificateNameForm
from qualitymonth.quiz.models import Attempt, Question, Quiz
from qualitymonth.quiz.services.attempts import attempts_today, quiz_districts, quiz_state
from qualitymonth.quiz.services.certificates import certificate_refusal

DEVICE_COOKIE = "qm_device"


def _quiz_or_404(slug: str | None) -> Quiz:
    if slug:
        return get_object_or_404(
            Quiz.objects.select_related("campaign"), slug=slug, is_published=True
        )
    quiz = selectors.current_quiz()
    if quiz is None:
        raise Http404(_("No quiz has been set up yet."))
    return quiz


def limit_rules(request, action: str, participant_key: str) -> list[tuple[str, int, int]]:
    """Per-person and per-connection limits on start, answer and submit (QM_QUIZ_RATE_LIMITS)."""
    per_person, per_ip, window = settings.QM_QUIZ_RATE_LIMITS[action]
    return [
        (f"quiz:{action}:p:{participant_key}", per_person, window),
        (f"quiz:{action}:ip:{ratelimit.client_key(request)}", per_ip, window),
    ]


def limit_hit(request, action: str, participant_key: str) -> bool:
    return not ratelimit.allow_all(limit_rules(request, action, participant_key))


def quiz_home(request, slug: str | None = None):
    burst.settle()
    quiz = _quiz_or_404(slug)
    participant = identity.current_participant(request, quiz)
    context = {
        "quiz": quiz,
        "campaign": quiz.campaign,
        "state": quiz_state(quiz),
        "participant": participant,
        "top": leaderboard.top(quiz, limit=10),
        "show_codes": settings.QM_SMS_SHOW_CODES_ON_PAGE,
    }
    if participant:
        context["open_attempt"] = Attempt.objects.filter(
            quiz=quiz,
            participant=participant.key,
            status=Attempt.Status.OPEN,
            deadline__gt=timezone.now(),
        ).first()
        context["used_today"] = attempts_today(quiz, participant.key, timezone.localdate())
        context["districts"] = quiz_districts(quiz)
        context["finished"] = Attempt.objects.filter(
            quiz=quiz, participant=participant.key
        ).exclude(status=Attempt.Status.OPEN)[:5]
    return render(request, "quiz/home.html", context)


@require_POST
def verify_mobile(request, slug: str):
    quiz = _quiz_or_404(slug)
    verify_mobile_step(
        request, verified_message=_("Mobile number verified. You can start the quiz.")
    )
    return redirect(quiz.get_absolute_url())


@require_POST
def start(request, slug: str):
    quiz = _quiz_or_404(slug)
    participant = identity.current_participant(request, quiz)
    if participant is None:
        messages.error(request, _("Log in or verify your mobile number first."))
        return redirect(quiz.get_absolute_url())
    if limit_hit(request, "start", participant.key):
        messages.error(request, _("Too many attempts started too quickly. Please wait a minute."))
        return redirect(quiz.get_absolute_url())
    device = request.COOKIES.get(DEVICE_COOKIE, "")
    try:
        attempt = services.attempt_start(
            quiz=quiz,
            participant=participant,
            ip=ratelimit.client_ip(request),
            device=device,
            district_id=request.POST.get("district") or None,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(quiz.get_absolute_url())
    response = redirect("quiz:attempt", attempt.token)
    if not device:
        import secrets

        response.set_cookie(
            DEVICE_COOKIE,
            secrets.token_hex(12),
            max_age=365 * 86400,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


def _own_attempt(request, token: str) -> Attempt:
    burst.settle()  # what is still queued in Redis belongs to the attempt shown
    attempt = get_object_or_404(Attempt.objects.select_related("quiz__campaign"), token=token)
    participant = identity.current_participant(request, attempt.quiz)
    if participant is None or participant.key != attempt.participant:
        raise Http404
    return attempt


def attempt_page(request, token: str):
    attempt = _own_attempt(request, token)
    if attempt.status == Attempt.Status.OPEN and attempt.deadline <= timezone.now():
        attempt = services.attempt_finish(attempt=attempt)
    if attempt.is_finished:
        return redirect("quiz:result", attempt.token)
    items = selectors.paper(attempt)
    try:
        position = int(request.GET.get("q", 0))
    except ValueError:
        position = 0
    if not 1 <= position <= len(items):
        position = next((i.position for i in items if i.chosen is None), 1)
    item = items[position - 1]
    context = {
        "attempt": attempt,
        "quiz": attempt.quiz,
        "items": items,
        "item": item,
        "options": selectors.display_options(item),
        "remaining": max(int((attempt.deadline - timezone.now()).total_seconds()), 0),
        "answered": sum(1 for i in items if i.chosen),
        "is_multiple": item.question.kind == Question.Kind.MULTIPLE,
    }
    return render(request, "quiz/attempt.html", context)


@require_POST
def answer(request, token: str):
    attempt = _own_attempt(request, token)
    if limit_hit(request, "answer", attempt.participant):
        messages.error(request, _("Too many answers too quickly. Please slow down."))
        return redirect("quiz:attempt", token)
    try:
        question_id = int(request.POST.get("question", ""))
        position = int(request.POST.get("position", "1"))
        choices = [int(c) for c in request.POST.getlist("choice")]
    except ValueError:
        messages.error(request, _("Choose at least one option."))
        return redirect("quiz:attempt", token)
    try:
        services.attempt_answer(attempt_token=token, question_id=question_id, choices=choices)
    except services.attempts.AttemptClosed as error:
        messages.error(request, " ".join(error.messages))
        return redirect("quiz:result", token)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('quiz:attempt', args=[token])}?q={position}")
    target = request.POST.get("go") or position + 1
    return redirect(f"{reverse('quiz:attempt', args=[token])}?q={target}")


@require_http_methods(["GET", "POST"])
def submit(request, token: str):
    attempt = _own_attempt(request, token)
    if request.method == "POST":
        if limit_hit(request, "submit", attempt.participant):
            messages.error(request, _("Please wait a moment before submitting again."))
            return redirect("quiz:attempt", token)
        services.attempt_finish(attempt=attempt)
        return redirect("quiz:result", token)
    if attempt.is_finished:
        return redirect("quiz:result", token)
    items = selectors.paper(attempt)
    unanswered = [i.position for i in items if not i.chosen]
    return render(
        request,
        "quiz/submit.html",
        {"attempt": attempt, "quiz": attempt.quiz, "unanswered": unanswered},
    )


def result(request, token: str):
    burst.settle()
    attempt = _own_attempt(request, token)
    if attempt.status == Attempt.Status.OPEN:
        if attempt.deadline > timezone.now():
            return redirect("quiz:attempt", token)
        attempt = services.attempt_finish(attempt=attempt)
    return _render_result(request, attempt, CertificateNameForm())


def _render_result(request, attempt: Attempt, certificate_form: CertificateNameForm, status=200):
    quiz = attempt.quiz
    context = {
        "attempt": attempt,
        "quiz": quiz,
        "review": selectors.review(attempt),
        "rank": leaderboard.rank_of(quiz, attempt.participant),
        "day_rank": leaderboard.rank_of(quiz, attempt.participant, day=attempt.day),
        "is_best": leaderboard.rank_of(quiz, attempt.participant) is not None,
        "certificate_refusal": certificate_refusal(attempt),
        "certificate_form": certificate_form,
    }
    return render(request, "quiz/result.html", context, status=status)


@require_POST
def certificate_name(request, token: str):
    """The name to print comes first; then the download starts."""
    attempt = _own_attempt(request, token)
    form = CertificateNameForm(request.POST)
    if form.is_valid():
        try:
            services.attempt_certificate_name_set(
                attempt=attempt, name=form.cleaned_data["name"], acting_user=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("quiz:certificate", token)
    return _render_result(request, attempt, form, status=400)


def certificate(request, token: str):
    burst.settle()
    attempt = _own_attempt(request, token)
    if not attempt.is_finished:
        return redirect("quiz:attempt", token)
    refusal = certificate_refusal(attempt)
    if refusal or not attempt.certificate_name:
        messages.error(request, refusal or _("Enter the name to print on the certificate first."))
        return redirect("quiz:result", token)
    verify_url = request.build_absolute_uri(
        reverse("quiz:verify_certificate", args=[attempt.certificate_code])
    )
    response = HttpResponse(
        quiz_certificate_pdf(attempt, verify_url=verify_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="quiz-certificate-{attempt.certificate_code}.pdf"'
    )
    return response


def verify_certificate(request, code: str):
    burst.settle()
    attempt = (
        Attempt.objects.select_related("quiz")
        # Only certificates that were issued: a pass mark reached and a name given for it.
        .filter(certificate_code=code.upper()[:12], status__in=Attempt.FINISHED)
        .exclude(certificate_name="")
        .first()
    )
    return render(
        request,
        "quiz/verify.html",
        {
            "attempt": attempt,
            "code": code[:12],
            # Enough to match the paper in hand; the code alone must not reveal a full name.
            "certificate_name": mask_name(attempt.certificate_name) if attempt else "",
        },
        status=200 if attempt else 404,
    )


def leaderboard_page(request, slug: str):
    quiz = _quiz_or_404(slug)
    day = None
    if request.GET.get("day"):
        try:
            day = dt.date.fromisoformat(request.GET["day"])
        except ValueError:
            messages.warning(request, _("Give the day as YYYY-MM-DD; showing the overall board."))
    participant = identity.current_participant(request, quiz)
    context = {
        "quiz": quiz,
        "day": day,
        "rows": leaderboard.top(quiz, day=day, limit=100),
        "me": leaderboard.rank_of(quiz, participant.key, day=day) if participant else None,
        "days": _quiz_days(quiz),
    }
    return render(request, "quiz/leaderboard.html", context)


def _quiz_days(quiz: Quiz) -> list[dt.date]:
    first = timezone.localtime(quiz.opens_at).date()
    last = min(timezone.localtime(quiz.closes_at).date(), timezone.localdate())
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)][-31:]
