"""The excellences through the API."""

from ninja import Router
from ninja.security import django_auth

router = Router(tags=["excellences"], auth=django_auth)
