"""After every app has loaded its demo content: build the campaign's facts from it."""

from qualitymonth.dashboard import facts


def load(campaign) -> None:
    facts.rebuild_all(campaign)
