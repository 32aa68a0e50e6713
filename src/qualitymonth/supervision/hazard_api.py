from ninja import Router
from ninja.security import django_auth

router = Router(tags=["supervision"], auth=django_auth)
