"""The dashboard's figures through the API (the office's and units' data, the public results)."""

from ninja import Router

router = Router(tags=["dashboard"])
