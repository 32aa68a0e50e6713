"""Entries: submitting and editing while the submission phase is open, and moderation."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qualitymonth.contest.models import Category, Contest, Entry
from qualitymonth.core import video
from qualitymonth.core.audit import audit_record
from qualitymonth.core.permissions import Action, PermissionDenied, policy

MAX_ENTRIES_PER_AUTHOR = 5
COVER_MAX_MB = 5


def validate_video(upload, *, contest: Contest) -> dict:
    """Check a video by what it contains, not by its name; return what the probe found."""
    if upload.size > contest.max_file_mb * 1024 * 1024:
        raise ValidationError(
            {"video": _("The video is larger than %(n)s MB.") % {"n": contest.max_file_mb}}
        )
    kind = video.container_kind(video.read_head(upload))
    if kind is None:
        raise ValidationError({"video": _("This is not an MP4, MOV or WebM video.")})
    try:
        found = video.probe(upload)
    except ValueError:
        raise ValidationError(
            {"video": _("The video cannot be read; is the file damaged?")}
        ) from None
    facts = {"video_format": kind}
    if found is None:  # no ffprobe on this server: the signature check is what we have
        return facts
    if found.codec and found.codec not in video.PLAYABLE_CODECS:
        raise ValidationError(
            {
                "video": _("Videos in %(codec)s cannot be played in browsers; use H.264.")
                % {"codec": found.codec}
            }
        )
    if found.duration is not None and not (
        contest.min_seconds <= found.duration <= contest.max_seconds
    ):
        raise ValidationError(
            {
                "video": _("The video lasts %(s)d s; it must last %(min)d to %(max)d s.")
                % {"s": found.duration, "min": contest.min_seconds, "max": contest.max_seconds}
            }
        )
    if found.height and found.width and min(found.width, found.height) > contest.max_height:
        raise ValidationError(
            {
                "video": _("The video is %(w)d×%(h)d; the largest allowed is %(max)dp.")
                % {"w": found.width, "h": found.height, "max": contest.max_height}
            }
        )
    facts.update(
        duration_seconds=found.duration, width=found.width, height=found.height, codec=found.codec
    )
    return facts


def validate_cover(upload) -> None:
    from PIL import Image, UnidentifiedImageError

    if upload.size > COVER_MAX_MB * 1024 * 1024:
        raise ValidationError(
            {"cover": _("The cover is larger than %(n)s MB.") % {"n": COVER_MAX_MB}}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
            fmt = image.format
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ValidationError(
            {"cover": _("The cover must be a JPEG, PNG or WebP picture.")}
        ) from None
    finally:
        upload.seek(0)
    if fmt not in ("JPEG", "PNG", "WEBP"):
        raise ValidationError({"cover": _("The cover must be a JPEG, PNG or WebP picture.")})


def _check_fields(
    contest: Contest,
    category: Category | None,
    title: str,
    description: str,
    author_name: str = "",
    team: str = "",
):
    errors = {}
    if category is None or category.contest_id != contest.pk:
        errors["category"] = _("Choose one of this contest's categories.")
    if not title.strip():
        errors["title"] = _("Give the entry a title.")
    if not description.strip():
        errors["description"] = _("Say in a few sentences what the video shows.")
    # Refused, not cut to fit: the author must see their entry as they wrote it (and PostgreSQL
    # would refuse the longer text with a server error).
    texts = {"title": title, "description": description, "author_name": author_name, "team": team}
    for name, text in texts.items():
        limit = Entry._meta.get_field(name).max_length
        if name not in errors and len(text.strip()) > limit:
            errors[name] = _("At most %(n)d characters.") % {"n": limit}
    if errors:
        raise ValidationError(errors)


def _require_submission_open(contest: Contest) -> None:
    if not contest.submission_open():
        raise ValidationError(
            _("Entries can be submitted and changed only from %(start)s to %(end)s.")
            % {
                "start": timezone.localtime(contest.submission_opens).strftime("%Y-%m-%d %H:%M"),
                "end": timezone.localtime(contest.submission_closes).strftime("%Y-%m-%d %H:%M"),
            },
            code="closed",
        )


@transaction.atomic
def entry_submit(
    *,
    contest: Contest,
    author,
    category: Category | None,
    title: str,
    description: str,
    author_name: str,
    team: str = "",
    unit=None,
    video_file,
    cover_file,
    originality_declared: bool,
) -> Entry:
    if not getattr(author, "is_authenticated", False):
        raise PermissionDenied("contest.submit")
    _require_submission_open(contest)
    _check_fields(contest, category, title, description, author_name, team)
    if not originality_declared:
        raise ValidationError(
            {"originality_declared": _("Confirm that the work is your own and original.")}
        )
    if not author_name.strip():
        raise ValidationError({"author_name": _("Give the author's name.")})
    if video_file is None:
        raise ValidationError({"video": _("Choose the video file.")})
    if cover_file is None:
        raise ValidationError({"cover": _("Choose a cover picture.")})
    facts = validate_video(video_file, contest=contest)
    validate_cover(cover_file)
    # Lock the author's row so two submits at once cannot both pass the count.
    get_user_model().objects.select_for_update().filter(pk=author.pk).first()
    if Entry.objects.filter(contest=contest, author=author).count() >= MAX_ENTRIES_PER_AUTHOR:
        raise ValidationError(
            _("One person can submit at most %(n)d entries.") % {"n": MAX_ENTRIES_PER_AUTHOR},
            code="limit",
        )
    entry = Entry(
        contest=contest,
        category=category,
        author=author,
        author_name=author_name.strip(),
        team=team.strip(),
        unit=unit,
        title=title.strip(),
        description=description.strip(),
        originality_declared=True,
        **facts,
    )
    entry.video.save(video_file.name, video_file, save=False)
    entry.cover.save(cover_file.name, cover_file, save=False)
    entry.save()
    audit_record(actor=author, event_type="contest.entry_submitted", target=entry)
    return entry


@transaction.atomic
def entry_edit(
    *,
    entry: Entry,
    acting_user,
    category: Category | None,
    title: str,
    description: str,
    author_name: str,
    team: str = "",
    video_file=None,
    cover_file=None,
) -> Entry:
    """The author changes the entry while submission is open; a changed entry is reviewed again."""
    entry = Entry.objects.select_for_update().select_related("contest").get(pk=entry.pk)
    if entry.author_id != getattr(acting_user, "pk", None):
        raise PermissionDenied("contest.entry_edit")
    _require_submission_open(entry.contest)
    if entry.status == Entry.Status.REJECTED:
        raise ValidationError(
            _("A rejected entry cannot be changed; you may submit a new one."),
            code="invalid_transition",
        )
    _check_fields(entry.contest, category, title, description, author_name, team)
    if video_file is not None:
        for name, value in validate_video(video_file, contest=entry.contest).items():
            setattr(entry, name, value)
        entry.video.save(video_file.name, video_file, save=False)
    if cover_file is not None:
        validate_cover(cover_file)
        entry.cover.save(cover_file.name, cover_file, save=False)
    before = entry.status
    entry.category = category
    entry.title = title.strip()
    entry.description = description.strip()
    entry.author_name = author_name.strip() or entry.author_name
    entry.team = team.strip()
    entry.status = Entry.Status.PENDING
    entry.approved_at = None
    entry.save()
    audit_record(
        actor=acting_user,
        event_type="contest.entry_edited",
        target=entry,
        before=before,
        new_video=video_file is not None,
    )
    return entry


_DECISIONS = {
    "approve": Entry.Status.APPROVED,
    "reject": Entry.Status.REJECTED,
    "changes": Entry.Status.CHANGES,
}


@transaction.atomic
def entry_moderate(*, entry: Entry, acting_user, decision: str, note: str = "") -> Entry:
    """Approve, reject with a reason, or ask for changes; only approved entries are public."""
    entry = (
        Entry.objects.select_for_update()
        .select_related("contest__campaign__region")
        .get(pk=entry.pk)
    )
    policy.require(acting_user, Action.CONTEST_MANAGE, entry.contest)
    if decision not in _DECISIONS:
        raise ValidationError(_("Unknown decision."), code="invalid_transition")
    note = note.strip()[:500]
    if decision != "approve" and not note:
        raise ValidationError({"note": _("Tell the author why, so they can act on it.")})
    if decision == "changes" and not entry.contest.submission_open():
        raise ValidationError(
            _("Submission has closed, so the author could not change the entry any more."),
            code="invalid_transition",
        )
    before = entry.status
    entry.status = _DECISIONS[decision]
    entry.moderation_note = note
    entry.approved_at = timezone.now() if decision == "approve" else None
    entry.save(update_fields=["status", "moderation_note", "approved_at", "updated_at"])
    audit_record(
        actor=acting_user,
        event_type=f"contest.entry_{decision}",
        target=entry,
        before=before,
        after=entry.status,
        note=note or None,
    )
    return entry
