"""Organisations that join a campaign, through the API."""

from ninja import Router
from ninja.security import django_auth

router = Router(tags=["participation"], auth=django_auth)
