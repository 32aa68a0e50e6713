"""Hostile-suite setup of the dashboard's API: the office asks for its campaign's figures, each
filter given the corpus in turn (a refused value must be a 400 or 422 naming it)."""

from tests.hostile.setup import Setup

SETUPS = {
    "GET /api/office/dashboard/{slug}": Setup(
        who="office", path=lambda w: {"slug": w.campaign.slug}
    ),
}
