"""The end-of-campaign report through the API: start a job, follow it, download the file."""

from ninja import Router

router = Router(tags=["dashboard"])
