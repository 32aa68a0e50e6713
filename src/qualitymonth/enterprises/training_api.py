"""The trainings through the API."""

from ninja import Router
from ninja.security import django_auth

router = Router(tags=["trainings"], auth=django_auth)
