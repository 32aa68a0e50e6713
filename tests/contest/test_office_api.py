"""The contest's office and judging API: the same journey as the back office pages, in JSON."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from qualitymonth.contest.models import Contest, Entry, Vote
from qualitymonth.core.models import AuditEvent
from tests.contest.conftest import cover_upload, set_phase, video_upload
from tests.factories import UserFactory


def put(client, url, body):
    return client.put(url, json.dumps(body), content_type="application/json")


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def setup_body(**overrides) -> dict:
    start = timezone.now() + dt.timedelta(days=1)

    def at(days):
        return (start + dt.timedelta(days=days)).isoformat()

    body = {
        "title": "2023年微视频大赛",
        "theme": "美好生活，质量引领",
        "rules": "作品须为原创。",
        "submission_opens": at(0),
        "submission_closes": at(10),
        "review_closes": at(15),
        "judging_closes": at(25),
        "voting_opens": at(16),
        "voting_closes": at(24),
        "results_at": at(28),
        "judges_per_entry": 1,
        "vote_weight": "0.25",
        "categories": [{"code": "public", "name": "公益宣传类"}],
        "criteria": [
            {"name": "主题契合", "weight": 60},
            {"name": "制作水平", "weight": 40, "max_score": 20},
        ],
        "awards": [{"level": "first", "count": 1}],
        "judges": [{"username": "judge0"}],
    }
    body.update(overrides)
    return body


def test_the_office_sets_up_and_changes_a_contest_through_the_api(office_client, campaign):
    UserFactory(username="judge0")
    response = post(
        office_client,
        "/api/office/contests",
        setup_body(campaign=campaign.slug, slug="video-2023"),
    )
    assert response.status_code == 201, response.content
    assert [c["code"] for c in response.json()["categories"]] == ["public"]
    contest = Contest.objects.get(slug="video-2023")
    assert contest.judges.get().user.username == "judge0"
    assert str(contest.vote_weight) == "0.25"
    category = contest.categories.get()
    body = setup_body(
        title="改名",
        categories=[
            {"id": category.pk, "code": "public", "name": "公益类"},
            {"code": "s", "name": "科普类"},
        ],
        judges=[],
    )
    response = put(office_client, "/api/office/contests/video-2023", body)
    assert response.status_code == 200, response.content
    contest.refresh_from_db()
    assert contest.title == "改名" and contest.categories.count() == 2
    assert not contest.judges.exists()
    assert (
        AuditEvent.objects.filter(event_type__in=["contest.create", "contest.configure"]).count()
        == 2
    )


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"criteria": [{"name": "主题", "weight": 90}]}, 400, None),
        ({"judges": [{"username": "nobody"}]}, 400, "judges"),
        ({"judges": [{"username": "judge0", "unit": "no-such-unit"}]}, 400, "judges"),
        ({"categories": []}, 422, None),
        ({"categories": [{"code": "带空格 的", "name": "x"}]}, 422, None),
        ({"vote_weight": "1.5"}, 422, None),
        ({"results_at": "2020-01-01T00:00:00+08:00"}, 400, "results_at"),
        ({"slug": "video-contest"}, 400, "slug"),
    ],
)
def test_bad_set_ups_are_refused_by_the_api(
    office_client, campaign, contest, change, status, field
):
    UserFactory(username="judge0")
    body = setup_body(campaign=campaign.slug, slug="video-2023") | change
    response = post(office_client, "/api/office/contests", body)
    assert response.status_code == status, response.content
    if field:
        assert field in response.json()["errors"]
    assert Contest.objects.count() == 1


def test_only_the_office_uses_the_office_api(staff_client, citizen_client, contest, campaign):
    UserFactory(username="judge0")
    for who in (staff_client, citizen_client):
        body = setup_body(campaign=campaign.slug, slug="video-2023")
        assert post(who, "/api/office/contests", body).status_code == 403
        assert put(who, f"/api/office/contests/{contest.slug}", setup_body()).status_code == 403
        assert who.get(f"/api/office/contests/{contest.slug}/judges").status_code == 403
        assert who.get(f"/api/office/contests/{contest.slug}/flagged-votes").status_code == 403
        assert post(who, f"/api/office/contests/{contest.slug}/rank").status_code == 403
    assert Client().get(f"/api/office/contests/{contest.slug}/judges").status_code == 401


def test_csrf_is_required_for_office_writes(office_user, contest):
    client = Client(enforce_csrf_checks=True)
    client.force_login(office_user)
    assert post(client, f"/api/office/contests/{contest.slug}/assign").status_code == 403


def test_moderation_judging_ranking_and_awards_through_the_api(
    office_client, contest, judges, make_entry
):
    entry = make_entry()
    response = post(
        office_client, f"/api/office/contest-entries/{entry.pk}/moderate", {"decision": "reject"}
    )
    assert response.status_code == 400  # a rejection needs its reason
    response = post(
        office_client, f"/api/office/contest-entries/{entry.pk}/moderate", {"decision": "approve"}
    )
    assert response.status_code == 200 and response.json()["status"] == "approved"
    assigned = post(office_client, f"/api/office/contests/{contest.slug}/assign").json()
    assert assigned["count"] == contest.judges_per_entry
    progress = office_client.get(f"/api/office/contests/{contest.slug}/judges").json()
    assert sum(j["assigned"] for j in progress) == contest.judges_per_entry

    set_phase(contest, "judging")
    criteria = list(contest.criteria.all())
    for judge in judges:
        client = Client()
        client.force_login(judge.user)
        mine = client.get("/api/office/judging/assignments").json()["items"]
        for item in mine:
            assert "author" not in json.dumps(item)
            bad = put(
                client,
                f"/api/office/judging/assignments/{item['id']}",
                {"scores": {str(criteria[0].pk): 11}},
            )
            assert bad.status_code == 400
            scores = {str(c.pk): 8 for c in criteria}
            done = put(
                client,
                f"/api/office/judging/assignments/{item['id']}",
                {"scores": scores, "comment": "好"},
            )
            assert done.status_code == 200 and done.json()["total"] == pytest.approx(80.0)
        # Another judge's assignment is not found for this one.
        others = entry.assignments.exclude(judge=judge)
        if others.exists():
            response = put(
                client, f"/api/office/judging/assignments/{others.first().pk}", {"scores": {}}
            )
            assert response.status_code == 404

    ranked = post(office_client, f"/api/office/contests/{contest.slug}/rank")
    assert ranked.status_code == 200
    row = ranked.json()[0]
    assert row["rank"] == 1 and row["award"] == "first"
    changed = put(
        office_client, f"/api/office/contest-entries/{entry.pk}/award", {"level": "second"}
    )
    assert changed.status_code == 200 and changed.json()["award"] == "second"
    early = post(office_client, f"/api/office/contests/{contest.slug}/confirm-awards")
    assert early.status_code == 409 and early.json()["code"] == "too_early"


def test_flagged_votes_are_listed_and_voided_through_the_api(office_client, contest, approved):
    set_phase(contest, "voting")
    entry = approved[0]
    Vote.objects.create(
        entry=entry,
        voter="m:1",
        day=timezone.localdate(),
        ip_hash="a",
        device_hash="b",
        flagged="burst",
    )
    Vote.objects.create(
        entry=entry, voter="m:2", day=timezone.localdate(), ip_hash="a", device_hash="c"
    )
    Entry.objects.filter(pk=entry.pk).update(vote_count=2)
    listed = office_client.get(f"/api/office/contests/{contest.slug}/flagged-votes").json()
    assert [v["flagged"] for v in listed["items"]] == ["burst"]
    ids = [listed["items"][0]["id"]]
    assert (
        post(
            office_client,
            f"/api/office/contests/{contest.slug}/void-votes",
            {"vote_ids": ids, "reason": ""},
        ).status_code
        == 422
    )
    response = post(
        office_client,
        f"/api/office/contests/{contest.slug}/void-votes",
        {"vote_ids": ids, "reason": "同一设备短时间内集中投票"},
    )
    assert response.status_code == 200 and response.json()["count"] == 1
    entry.refresh_from_db()
    assert entry.vote_count == 1
    remaining = office_client.get(
        f"/api/office/contests/{contest.slug}/flagged-votes", {"voided": "false"}
    ).json()
    assert remaining["count"] == 0


def test_an_author_edits_an_entry_through_the_api(
    contest, make_entry, citizen_client, citizen_user
):
    entry = make_entry(citizen_user)
    url = f"/api/contest-entries/{entry.pk}"
    fields = {
        "title": "新标题",
        "category": "science",
        "description": "改过的说明。",
        "author_name": "张三",
    }
    response = citizen_client.post(url, {**fields, "cover": cover_upload()})
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "新标题" and response.json()["status"] == "pending"
    bad = citizen_client.post(url, {**fields, "video": video_upload("x.mp4", b"just text")})
    assert bad.status_code == 400 and "video" in bad.json()["errors"]
    other = Client()
    other.force_login(UserFactory(username="someone-else"))
    assert other.post(url, fields).status_code == 403
    entry.refresh_from_db()
    assert entry.title == "新标题" and entry.category.code == "science"


def test_an_author_submits_an_entry_through_the_api(contest, citizen_client):
    url = f"/api/contests/{contest.slug}/entries"
    fields = {
        "title": "一杆公平秤",
        "category": "public",
        "description": "菜市场里的计量故事。",
        "author_name": "李四",
        "originality_declared": "true",
    }
    response = citizen_client.post(
        url, {**fields, "video": video_upload(), "cover": cover_upload()}
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"
    refused = citizen_client.post(
        url,
        {
            **fields,
            "originality_declared": "false",
            "video": video_upload(),
            "cover": cover_upload(),
        },
    )
    assert refused.status_code == 400
    wrong = citizen_client.post(
        url, {**fields, "category": "nope", "video": video_upload(), "cover": cover_upload()}
    )
    assert wrong.status_code == 400 and "category" in wrong.json()["errors"]
    assert Entry.objects.filter(contest=contest).count() == 1
