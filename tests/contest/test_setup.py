"""The campaign office sets a contest up in the back office: one page, saved by one service."""

import datetime as dt
import html
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from qualitymonth.contest import services
from qualitymonth.contest.models import Contest, Judge
from qualitymonth.core.models import AuditEvent
from tests.contest.conftest import set_phase
from tests.factories import UserFactory

LOCAL = "%Y-%m-%dT%H:%M"


def _dates(start: dt.datetime) -> dict:
    day = dt.timedelta(days=1)
    steps = {
        "submission_opens": 0,
        "submission_closes": 10,
        "review_closes": 15,
        "judging_closes": 25,
        "voting_opens": 16,
        "voting_closes": 24,
        "results_at": 28,
    }
    return {name: timezone.localtime(start + n * day).strftime(LOCAL) for name, n in steps.items()}


def _management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _rows(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = _management(prefix, len(rows), initial)
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


def new_contest_post(campaign, *, weights=(40, 30, 30), judge="judge0", **overrides) -> dict:
    data = {
        "campaign": str(campaign.pk),
        "title": "2023年微视频大赛",
        "slug": "video-2023",
        "theme": "美好生活，质量引领",
        "rules": "作品须为原创。",
        **_dates(timezone.now() + dt.timedelta(days=1)),
        "max_file_mb": "200",
        "min_seconds": "10",
        "max_seconds": "180",
        "max_height": "1080",
        "judges_per_entry": "2",
        "vote_weight": "0.30",
        "votes_per_day": "5",
    }
    data |= _rows(
        "categories", [{"code": "public", "name": "公益宣传类"}, {"code": "", "name": ""}]
    )
    data |= _rows(
        "criteria",
        [
            {"name": name, "description": "", "weight": str(w), "max_score": "10"}
            for name, w in zip(["主题契合", "内容创意", "制作水平"], weights, strict=True)
        ],
    )
    data |= _rows(
        "awards",
        [
            {"category_code": "", "level": "first", "count": "1"},
            {"category_code": "public", "level": "excellence", "count": "3"},
            {"category_code": "", "level": "", "count": "1"},  # an untouched empty row
        ],
    )
    data |= _rows("judges", [{"user": judge, "unit": ""}])
    data.update(overrides)
    return data


def current_rows(contest, **change) -> services.Rows:
    """The contest's lists as they stand, with some of them replaced."""
    rows = {
        "categories": [
            {"pk": c.pk, "code": c.code, "name": c.name} for c in contest.categories.all()
        ],
        "criteria": [
            {
                "pk": c.pk,
                "name": c.name,
                "description": c.description,
                "weight": c.weight,
                "max_score": c.max_score,
            }
            for c in contest.criteria.all()
        ],
        "awards": [],
        "judges": [{"pk": j.pk, "user": j.user, "unit": j.unit} for j in contest.judges.all()],
    }
    return services.Rows(**(rows | change))


@pytest.fixture
def judge_account(db):
    return UserFactory(username="judge0", first_name="评委甲")


def test_the_office_creates_a_contest_with_everything_in_it(office_client, campaign, judge_account):
    response = office_client.post(reverse("contest_office:contest_new"), new_contest_post(campaign))
    assert response.status_code == 302, response.content.decode()[:2000]
    contest = Contest.objects.get(slug="video-2023")
    assert response.url == reverse("contest_office:contest", args=[contest.slug])
    assert [c.code for c in contest.categories.all()] == ["public"]
    assert [(c.name, c.weight) for c in contest.criteria.all()] == [
        ("主题契合", 40),
        ("内容创意", 30),
        ("制作水平", 30),
    ]
    assert [(r.category, r.level, r.count) for r in contest.award_rules.all()] == [
        (None, "first", 1),
        (contest.categories.get(), "excellence", 3),  # named in the same save as its category
    ]
    assert [j.user for j in contest.judges.all()] == [judge_account]
    assert str(contest.vote_weight) == "0.30"
    event = AuditEvent.objects.get(event_type="contest.create")
    assert event.object_id == str(contest.pk)
    # The settings page shows what was saved.
    page = office_client.get(reverse("contest_office:settings", args=[contest.slug]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="public"' in body and 'value="judge0"' in body and "主题契合" in body


def test_contests_list_offers_the_new_contest_page_to_the_office(office_client, staff_client):
    page = office_client.get(reverse("contest_office:contests"))
    assert reverse("contest_office:contest_new") in page.content.decode()
    page = office_client.get(reverse("contest_office:contest_new"))
    assert page.status_code == 200


def test_only_the_office_sets_contests_up(
    staff_client, citizen_client, client, contest, campaign, judge_account
):
    new = reverse("contest_office:contest_new")
    page = reverse("contest_office:settings", args=[contest.slug])
    for who in (staff_client, citizen_client):
        assert who.get(new).status_code == 403
        assert who.post(new, new_contest_post(campaign)).status_code == 403
        assert who.get(page).status_code == 403
    assert client.get(page).status_code == 302  # to the sign-in page
    assert not Contest.objects.filter(slug="video-2023").exists()


@pytest.mark.parametrize(
    ("overrides", "field_text"),
    [
        ({"weights": (40, 30, 20)}, "add up to 90%"),
        ({"judge": "nobody"}, "No active account has the user name “nobody”"),
        ({"slug": "video-contest"}, "already exists"),
        ({"max_seconds": "5"}, "longest video must not be shorter"),
        ({"submission_closes": "2020-01-01T00:00"}, "follow one another"),
        ({"vote_weight": "1.5"}, "less than or equal to 1"),
        ({"categories-0-code": "公益"}, "consisting of letters"),
        ({"categories-1-code": "public", "categories-1-name": "重复"}, "its own code"),
    ],
)
def test_bad_set_ups_are_refused_with_the_reason_and_nothing_lost(
    office_client, campaign, contest, judge_account, overrides, field_text
):
    data = new_contest_post(
        campaign,
        **{k: v for k, v in overrides.items() if k in ("weights", "judge")},
    )
    data.update({k: v for k, v in overrides.items() if k not in ("weights", "judge")})
    office_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = office_client.post(reverse("contest_office:contest_new"), data)
    assert response.status_code == 400
    body = response.content.decode()
    alerts = " ".join(re.findall(r'role="alert">(.*?)</', body, flags=re.S))
    assert field_text in html.unescape(alerts)
    assert "2023年微视频大赛" in body  # what was typed is still there
    assert Contest.objects.count() == 1  # only the fixture's


def test_rows_with_work_behind_them_cannot_be_removed(contest, judges, make_entry, office_user):
    """A category with entries stays; a judge who scored stays; the rubric is fixed once used."""
    entry = make_entry(approve_by=office_user)
    services.judges_assign(contest=contest, acting_user=office_user)
    set_phase(contest, "judging")
    assignment = entry.assignments.first()
    services.assignment_score(
        assignment=assignment,
        acting_user=assignment.judge.user,
        scores={str(c.pk): 5 for c in contest.criteria.all()},
    )

    def rows(**change):
        return current_rows(contest, **change)

    def save(rows_):
        services.contest_save(acting_user=office_user, contest=contest, rows=rows_)

    current = rows()
    with pytest.raises(Exception, match="has entries"):
        save(rows(categories=[c for c in current.categories if c["code"] != "public"]))
    scorer = assignment.judge
    with pytest.raises(Exception, match="already scored"):
        save(rows(judges=[j for j in current.judges if j["pk"] != scorer.pk]))
    reweighted = [dict(c) for c in current.criteria]
    reweighted[0]["weight"], reweighted[1]["weight"] = 50, 20
    with pytest.raises(Exception, match="already scored entries"):
        save(rows(criteria=reweighted))
    # Renaming a criterion and dropping a judge who scored nothing are fine.
    renamed = [dict(c) for c in current.criteria]
    renamed[0]["name"] = "主题鲜明"
    idle = next(j for j in judges if not j.assignments.filter(scored_at__isnull=False).exists())
    save(rows(criteria=renamed, judges=[j for j in current.judges if j["pk"] != idle.pk]))
    assert contest.criteria.first().name == "主题鲜明"
    assert not Judge.objects.filter(pk=idle.pk).exists()
    assert contest.categories.filter(code="public").exists()
    assert AuditEvent.objects.filter(event_type="contest.configure").count() == 1


def test_settings_page_changes_an_existing_contest(office_client, contest, judge_account):
    url = reverse("contest_office:settings", args=[contest.slug])
    page = office_client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {
        name: value.strftime(LOCAL) if isinstance(value, dt.datetime) else value
        for name, value in ((f, form[f].value()) for f in form.fields)
    }
    for name in page.context["formsets"]:
        for key, value in name.management_form.initial.items():
            data[f"{name.prefix}-{key}"] = value
        for n, row in enumerate(name.forms):
            for field in row.fields:
                value = row[field].value()
                if value not in (None, False):
                    data[f"{name.prefix}-{n}-{field}"] = value
    data["title"] = "微视频大赛（修订）"
    data["categories-2-code"], data["categories-2-name"] = "story", "品牌故事类"
    data["judges-0-user"] = "judge0"
    response = office_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    contest.refresh_from_db()
    assert contest.title == "微视频大赛（修订）"
    assert [c.code for c in contest.categories.all()] == ["public", "science", "story"]
    assert [j.user for j in contest.judges.all()] == [judge_account]
    # A row of another contest cannot be smuggled in.
    data["categories-0-pk"] = "999999"
    office_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = office_client.post(url, data)
    assert response.status_code == 400
    assert "reload the page" in response.content.decode()


def test_a_judge_whose_account_was_closed_after_scoring_does_not_lock_the_set_up(
    contest, judges, make_entry, office_user
):
    entry = make_entry(approve_by=office_user)
    services.judges_assign(contest=contest, acting_user=office_user)
    set_phase(contest, "judging")
    assignment = entry.assignments.first()
    services.assignment_score(
        assignment=assignment,
        acting_user=assignment.judge.user,
        scores={str(c.pk): 5 for c in contest.criteria.all()},
    )
    scorer = assignment.judge.user
    scorer.is_active = False
    scorer.save()
    from qualitymonth.contest.services.setup import judge_account

    kept = judge_account(scorer.username, judge_pk=assignment.judge.pk)
    assert kept == scorer
    assert judge_account(scorer.username) is None  # not as a new judge
    contest.title = "改名后"
    rows = current_rows(contest)
    services.contest_save(acting_user=office_user, contest=contest, rows=rows)
    event = AuditEvent.objects.filter(event_type="contest.configure").get()
    assert "title" in event.detail["changed"]
    # Once the awards are confirmed, the set-up is final.
    Contest.objects.filter(pk=contest.pk).update(results_confirmed_at=timezone.now())
    with pytest.raises(Exception, match="confirmed"):
        services.contest_save(acting_user=office_user, contest=contest, rows=rows)


def test_reserved_addresses_and_impossible_lengths_are_refused_everywhere(
    office_client, campaign, judge_account
):
    office_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = office_client.post(
        reverse("contest_office:contest_new"), new_contest_post(campaign, slug="judging")
    )
    assert page.status_code == 400 and "taken by the platform" in page.content.decode()
    from tests.contest.test_office_api import post, setup_body

    body = setup_body(campaign=campaign.slug, slug="video-2023", min_seconds=500, max_seconds=10)
    response = post(office_client, "/api/office/contests", body)
    assert response.status_code == 400 and "max_seconds" in response.json()["errors"]
    body = setup_body(campaign=campaign.slug, slug="new")
    assert post(office_client, "/api/office/contests", body).status_code == 400
    assert not Contest.objects.exists()
