"""The one-stop service through the API: enterprises file and rate needs, the office dispatches,
providers serve."""

from ninja import Router

router = Router(tags=["one-stop service"])
