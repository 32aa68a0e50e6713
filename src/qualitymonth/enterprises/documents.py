"""Files the enterprise side hands out: the CQO training certificate."""

from django.urls import reverse
from django.utils import timezone

from qualitymonth.core.documents import certificate_pdf
from qualitymonth.enterprises.models import ChiefQualityOfficer


def cqo_certificate_pdf(cqo: ChiefQualityOfficer, *, verify_url: str = "") -> bytes:
    """The certificate of a CQO who attended a CQO training and was checked in; its QR code
    opens the public check of the number (verify_url: that page's full address)."""
    verify_url = verify_url or reverse("trainings:verify", args=[cqo.certificate_number])
    training = cqo.certified_by_training
    activity = training.activity if training else None
    date = timezone.localtime(cqo.certified_at).strftime("%Y年%m月%d日")
    attended = f"参加了“{activity.title}”，" if activity else "参加了首席质量官培训，"
    return certificate_pdf(
        title="培 训 证 书",
        subtitle="Chief Quality Officer Training Certificate",
        lines=[
            f"{cqo.name}（{cqo.enterprise.name} {cqo.position}）：",
            attended,
            f"经签到确认完成培训，于{date}列入首席质量官名录。",
            f"证书编号：{cqo.certificate_number}",
        ],
        issuer=activity.organiser.name if activity else "",
        footer=f"{cqo.certificate_number} · {activity.campaign.theme if activity else ''}",
        verify_url=verify_url,
    )
