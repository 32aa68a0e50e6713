from django.urls import path

from qualitymonth.enterprises.views import public

app_name = "enterprises"
urlpatterns = [
    path("", public.start, name="start"),
    path("signup/", public.signup, name="signup"),
    path("mobile/", public.mobile, name="mobile"),
    path("claim/", public.claim, name="claim"),
    path("mine/", public.mine, name="mine"),
    path("claims/<int:pk>/licence/", public.licence, name="licence"),
]
