"""The programmes through the API."""

from ninja import Router
from ninja.security import django_auth

router = Router(tags=["programmes"], auth=django_auth)
