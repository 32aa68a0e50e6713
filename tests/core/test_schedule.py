"""The periodic jobs: each slot runs once however many schedulers fire it; failures are kept."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from qualitymonth.core import schedule
from qualitymonth.core.models import JobRun

pytestmark = pytest.mark.django_db


def test_a_slot_runs_once_when_two_schedulers_fire_it(monkeypatch):
    ran = []
    monkeypatch.setattr(schedule, "call_command", lambda *args, **kw: ran.append(args))
    job = schedule.job_named("quiz-close-overdue")
    slot = timezone.now().replace(second=10)
    assert schedule.job_run(job, slot) is not None
    assert schedule.job_run(job, slot + dt.timedelta(seconds=20)) is None  # the same minute
    assert ran == [("quiz", "close-overdue")]
    claim = JobRun.objects.get()
    assert claim.finished_at is not None and claim.outcome == "ok"
    assert schedule.job_run(job, slot + dt.timedelta(minutes=1)) is not None  # the next slot


def test_a_failed_run_is_recorded_and_raised(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database away")

    monkeypatch.setattr(schedule, "call_command", broken)
    with pytest.raises(RuntimeError):
        schedule.job_run(schedule.job_named("complaints-remind"), timezone.now())
    claim = JobRun.objects.get()
    assert claim.outcome == "failed: RuntimeError" and claim.finished_at is not None


def test_every_job_names_a_real_command():
    from django.core.management import get_commands

    commands = get_commands()
    for job in schedule.JOBS:
        assert job.command.split()[0].replace("-", "_") in commands, job.name


def test_the_task_pruning_waits_for_a_database_queue(settings, monkeypatch):
    ran = []
    monkeypatch.setattr(schedule, "call_command", lambda *args, **kw: ran.append(args))
    job = schedule.job_named("prune-tasks")
    assert schedule.job_run(job, timezone.now()) is None  # the immediate backend keeps nothing
    assert ran == [] and not JobRun.objects.exists()


def test_the_command_lists_runs_once_and_prunes(capsys):
    call_command("scheduler", "list")
    listed = capsys.readouterr().out
    assert all(job.name in listed for job in schedule.JOBS)
    call_command("scheduler", "once", "dashboard-refresh")
    assert JobRun.objects.filter(job="dashboard-refresh").count() == 1
    JobRun.objects.create(job="old", slot=timezone.now() - dt.timedelta(days=40))
    call_command("scheduler", "prune", "--days", "30")
    assert not JobRun.objects.filter(job="old").exists()
    with pytest.raises(CommandError, match="No job"):
        call_command("scheduler", "once", "no-such-job")
    with pytest.raises(CommandError, match="at least 1"):
        call_command("scheduler", "prune", "--days", "0")


def test_a_firing_claims_the_scheduled_slot_not_its_start_time():
    from qualitymonth.core.management.commands.scheduler import _trigger, scheduled_slot

    zone = timezone.get_default_timezone()
    daily = _trigger(schedule.job_named("complaints-remind"))  # 08:30 every day
    late = dt.datetime(2026, 9, 14, 8, 31, 40, tzinfo=zone)  # started 100 s late
    assert scheduled_slot(daily, late) == dt.datetime(2026, 9, 14, 8, 30, tzinfo=zone)
    minutely = _trigger(schedule.job_named("quiz-close-overdue"))
    just_after = dt.datetime(2026, 9, 14, 9, 0, 0, 400_000, tzinfo=zone)
    assert scheduled_slot(minutely, just_after) == dt.datetime(2026, 9, 14, 9, 0, tzinfo=zone)


def test_a_database_away_at_the_slot_is_waited_out(monkeypatch):
    from django.db import OperationalError

    from qualitymonth.core.management.commands import scheduler

    tries = []

    def flaky(job, slot):
        tries.append(slot)
        if len(tries) < 3:
            raise OperationalError("the database system is starting up")
        return "ok"

    monkeypatch.setattr(schedule, "job_run", flaky)
    monkeypatch.setattr(scheduler, "time", type("T", (), {"sleep": staticmethod(lambda s: None)}))
    scheduler._fire("complaints-remind")
    assert len(tries) == 3 and len(set(tries)) == 1  # the same slot each time
