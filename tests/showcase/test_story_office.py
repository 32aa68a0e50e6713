import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qualitymonth.showcase.models import BrandStory

pytestmark = pytest.mark.django_db


def form_data(unit, **overrides):
    data = {
        "title": "老手艺的新标准",
        "enterprise": "示例工坊",
        "unit": unit.pk,
        "summary": "为工艺建立质量记录",
        "body": "<p>正文</p><script>alert(1)</script>",
    }
    data.update(overrides)
    return data


def test_unit_staff_write_submit_and_the_office_publishes(
    staff_client, office_client, unit, campaign
):
    response = staff_client.post(reverse("office_stories:new"), form_data(unit))
    assert response.status_code == 302
    story = BrandStory.objects.get()
    assert story.status == "draft" and "<script" not in story.body and story.slug
    staff_client.post(reverse("office_stories:step", args=[story.pk, "submit"]))
    story.refresh_from_db()
    assert story.status == "review"
    # Staff cannot publish; editing is closed while in review.
    staff_client.post(reverse("office_stories:step", args=[story.pk, "publish"]))
    story.refresh_from_db()
    assert story.status == "review"
    edit = staff_client.post(
        reverse("office_stories:edit", args=[story.pk]), form_data(unit, title="改")
    )
    assert edit.status_code == 200 and BrandStory.objects.get().title == "老手艺的新标准"
    office_client.post(reverse("office_stories:step", args=[story.pk, "publish"]))
    story.refresh_from_db()
    assert story.status == "published"
    assert office_client.get(story.get_absolute_url()).status_code == 200


def test_another_unit_cannot_see_or_change_the_story(
    staff_client, other_staff_client, unit, campaign
):
    staff_client.post(reverse("office_stories:new"), form_data(unit))
    story = BrandStory.objects.get()
    assert (
        other_staff_client.get(reverse("office_stories:edit", args=[story.pk])).status_code == 404
    )
    assert (
        other_staff_client.post(
            reverse("office_stories:step", args=[story.pk, "submit"])
        ).status_code
        == 404
    )
    assert (
        story.title not in other_staff_client.get(reverse("office_stories:list")).content.decode()
    )


def test_bad_input_is_shown_on_the_form(staff_client, unit, campaign):
    fake = SimpleUploadedFile("film.mp4", b"MZ\x90\x00 this is a program")
    response = staff_client.post(
        reverse("office_stories:new"), form_data(unit, title="", video=fake)
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "has-error" in html and "MP4" in html
    assert not BrandStory.objects.exists()


def test_returning_needs_a_reason(office_client, staff_client, unit, campaign):
    staff_client.post(reverse("office_stories:new"), form_data(unit))
    story = BrandStory.objects.get()
    staff_client.post(reverse("office_stories:step", args=[story.pk, "submit"]))
    office_client.post(reverse("office_stories:step", args=[story.pk, "return"]), {"reason": ""})
    story.refresh_from_db()
    assert story.status == "review"
    office_client.post(
        reverse("office_stories:step", args=[story.pk, "return"]),
        {"reason": "请补充企业获得的认证"},
    )
    story.refresh_from_db()
    assert story.status == "draft"
