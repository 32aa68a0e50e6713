"""The office's and units' dashboard, the large screen and chart exports (/office/dashboard/)."""


app_name = "dashboard"

urlpatterns: list = []
