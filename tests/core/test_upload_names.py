"""Every uploaded file is stored under a random name, in the folder its field chose, with its
extension lower-cased when it is one the platform accepts."""

import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.urls import reverse

from qualitymonth.core.storage import RandomNameStorage, random_name
from qualitymonth.showcase.models import Article
from tests.showcase.test_article_office import form_data, png

RANDOM = r"[0-9a-f]{32}"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("stories/2025/张三 身份证.JPG", rf"stories/2025/{RANDOM}\.jpg"),
        ("articles/2025/cover.jpeg", rf"articles/2025/{RANDOM}\.jpeg"),
        ("stories/2025/新品发布.MP4", rf"stories/2025/{RANDOM}\.mp4"),
        ("complaints/2025/09/receipt.pdf", rf"complaints/2025/09/{RANDOM}\.pdf"),
        # Not an extension an upload field accepts: dropped, so it is never served as a page.
        ("stories/2025/page.html", rf"stories/2025/{RANDOM}"),
        ("stories/2025/image.svg", rf"stories/2025/{RANDOM}"),
        ("stories/2025/archive.tar.gz", rf"stories/2025/{RANDOM}"),
        ("stories/2025/no-extension", rf"stories/2025/{RANDOM}"),
        ("stories/2025/.png", rf"stories/2025/{RANDOM}"),
    ],
)
def test_random_name_keeps_the_folder_and_an_accepted_extension(given, expected):
    assert re.fullmatch(expected, random_name(given))


def test_two_uploads_of_the_same_name_get_different_names():
    assert random_name("a/x.png") != random_name("a/x.png")


def test_the_default_and_the_private_storage_give_random_names():
    assert isinstance(default_storage, RandomNameStorage)
    assert isinstance(storages["private"], RandomNameStorage)


@pytest.mark.django_db
def test_a_file_saved_through_a_field_gets_a_random_name(unit):
    article = Article(title="t", slug="t", summary="s", body="b", category="consumer", unit=unit)
    article.cover.save("王小红的照片.PNG", ContentFile(png().read()), save=False)
    assert re.fullmatch(rf"articles/\d{{4}}/{RANDOM}\.png", article.cover.name)
    assert "王小红" not in article.cover.url
    assert default_storage.exists(article.cover.name)


@pytest.mark.django_db
def test_an_upload_through_the_office_page_gets_a_random_name(staff_client, unit):
    response = staff_client.post(
        reverse("office_articles:new"), form_data(unit, cover=png("我的封面.PNG"))
    )
    assert response.status_code == 302
    name = Article.objects.get().cover.name
    assert re.fullmatch(rf"articles/\d{{4}}/{RANDOM}\.png", name)
