"""Every write of the contest: entries and moderation, judging and awards, votes."""

from qualitymonth.contest.services.entries import (
    entry_edit,
    entry_moderate,
    entry_submit,
    validate_cover,
    validate_video,
)
from qualitymonth.contest.services.judging import (
    assignment_score,
    awards_confirm,
    contest_rank,
    entry_award_set,
    judges_assign,
    normalise_judges,
)
from qualitymonth.contest.services.setup import Rows, contest_save
from qualitymonth.contest.services.voting import (
    AccountNotConfirmed,
    VoteResult,
    vote_cast,
    votes_flush,
    votes_void,
)

__all__ = [
    "AccountNotConfirmed",
    "Rows",
    "VoteResult",
    "assignment_score",
    "awards_confirm",
    "contest_rank",
    "contest_save",
    "entry_award_set",
    "entry_edit",
    "entry_moderate",
    "entry_submit",
    "judges_assign",
    "normalise_judges",
    "validate_cover",
    "validate_video",
    "vote_cast",
    "votes_flush",
    "votes_void",
]
