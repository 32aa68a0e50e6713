from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.core.documents import certificate_pdf
from qualitymonth.quiz.models import Attempt


def quiz_certificate_pdf(attempt: Attempt, *, verify_url: str) -> bytes:
    quiz = attempt.quiz
    minutes, seconds = divmod((attempt.duration_ms or 0) // 1000, 60)
    return certificate_pdf(
        title="证   书",
        subtitle="Certificate · 质量知识竞答",
        lines=[
            f"{attempt.certificate_name}：",
            f"于{timezone.localtime(attempt.finished_at):%Y年%m月%d日}参加“{quiz.title}”，",
            f"得分 {attempt.score} 分（满分 {quiz.max_score} 分），用时 {minutes} 分 {seconds} 秒。",
            "特发此证，以资鼓励。",
        ],
        issuer=quiz.campaign.lead_unit.name,
        footer=" ".join(
            (_("Verification code"), attempt.certificate_code, "·", quiz.campaign.theme)
        ),
        verify_url=verify_url,
    )
