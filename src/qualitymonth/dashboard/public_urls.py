"""The public results page of a campaign (质量月成效)."""


app_name = "results"

urlpatterns: list = []
