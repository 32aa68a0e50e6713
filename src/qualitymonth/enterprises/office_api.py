"""The office's API for the enterprise registry."""

from ninja import Router
from ninja.security import django_auth

router = Router(tags=["enterprises office"], auth=django_auth)
