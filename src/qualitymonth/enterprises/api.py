"""The enterprise's own API: its users, claims and (later) needs."""

from ninja import Router

router = Router(tags=["enterprises"])
