"""Science articles in the back office: units write drafts, the campaign office publishes, takes
back and picks the week's articles."""

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from qualitymonth.core.models import AuditEvent
from qualitymonth.showcase.models import Article, week_start

pytestmark = pytest.mark.django_db


def png(name="cover.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (160, 90), (30, 90, 160)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def form_data(unit, **overrides):
    data = {
        "title": "电梯困人怎么办",
        "category": "special_equipment",
        "unit": unit.pk,
        "summary": "被困时保持冷静，按警铃或拨打轿厢内的救援电话。",
        "body": '<p>不要扒门。</p><script>alert(1)</script><p onclick="x()">等待救援。</p>',
        "tags": "电梯,安全",
        "source": "《特种设备安全法》",
    }
    data.update(overrides)
    return data


def test_a_unit_writes_and_the_office_publishes_and_picks(
    staff_client, office_client, client, unit
):
    response = staff_client.post(reverse("office_articles:new"), form_data(unit, cover=png()))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT and article.slug
    assert "<script" not in article.body and "onclick" not in article.body
    assert article.cover.name.startswith("articles/")
    # A draft is not public; its writers can preview it, and the preview counts no read.
    assert client.get(article.get_absolute_url()).status_code == 404
    preview = staff_client.get(article.get_absolute_url())
    assert (
        preview.status_code == 200 and 'name="robots" content="noindex"' in preview.content.decode()
    )
    # The unit cannot publish; the office can.
    staff_client.post(reverse("office_articles:step", args=[article.pk, "publish"]))
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    office_client.post(reverse("office_articles:step", args=[article.pk, "publish"]))
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.published_at
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200 and article.cover.url in page.content.decode()
    assert client.get("/api/articles").json()["items"][0]["cover_url"] == article.cover.url
    # Weekly pick on the campaign home.
    week = week_start(timezone.localdate())
    office_client.post(reverse("office_articles:pick", args=[article.pk]), {"week_of": week})
    article.refresh_from_db()
    assert article.weekly_pick == week
    # Once published, the unit can no longer change it; the office can take it back.
    response = staff_client.post(
        reverse("office_articles:edit", args=[article.pk]), form_data(unit, title="改")
    )
    assert response.status_code == 400
    office_client.post(reverse("office_articles:step", args=[article.pk, "unpublish"]))
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT and article.weekly_pick is None
    events = set(
        AuditEvent.objects.filter(object_id=str(article.pk)).values_list("event_type", flat=True)
    )
    assert {
        "article.created",
        "article.published",
        "article.picked",
        "article.unpublished",
    } <= events


def test_another_unit_cannot_see_or_change_the_article(
    staff_client, other_staff_client, unit, other_unit
):
    staff_client.post(reverse("office_articles:new"), form_data(unit))
    article = Article.objects.get()
    assert (
        other_staff_client.get(reverse("office_articles:edit", args=[article.pk])).status_code
        == 404
    )
    assert other_staff_client.get(article.get_absolute_url()).status_code == 404
    response = other_staff_client.post(
        reverse("office_articles:step", args=[article.pk, "publish"])
    )
    assert response.status_code == 404
    # Nor write one in the name of a unit that is not theirs.
    response = other_staff_client.post(reverse("office_articles:new"), form_data(unit))
    assert response.status_code == 400
    assert Article.objects.count() == 1
    assert unit.name not in other_staff_client.get(reverse("office_articles:list")).content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "This field is required"),
        ({"category": "astrology"}, "Select a valid choice"),
        (
            {"cover": SimpleUploadedFile("cover.png", b"MZ\x90\x00 not an image", "image/png")},
            "valid image",
        ),
    ],
)
def test_bad_input_is_refused_with_the_reason_and_the_text_kept(
    staff_client, unit, overrides, message
):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = staff_client.post(reverse("office_articles:new"), form_data(unit, **overrides))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert "被困时保持冷静" in body
    assert not Article.objects.exists()


def test_the_list_searches_and_filters(office_client, staff_client, unit):
    staff_client.post(reverse("office_articles:new"), form_data(unit))
    staff_client.post(
        reverse("office_articles:new"),
        form_data(unit, title="认识CCC标志", category="certification", summary="强制性产品认证"),
    )
    url = reverse("office_articles:list")
    assert "认识CCC标志" in office_client.get(url, {"q": "ccc"}).content.decode()
    assert "电梯困人" not in office_client.get(url, {"q": "ccc"}).content.decode()
    only = office_client.get(url, {"category": "special_equipment"}).content.decode()
    assert "电梯困人" in only and "认识CCC标志" not in only
    assert office_client.get(url, {"status": "nonsense", "page": "x"}).status_code == 200
