from django.urls import path, re_path

from qualitymonth.enterprises.views import needs, services_public

app_name = "services"
# The public pages of the catalogue (services_public.py, written beside this flow).
urlpatterns = [
    path("", services_public.services_index, name="index"),
    path("results/", services_public.services_results, name="results"),
]

# An enterprise's needs. A need's address takes only a need's number, so no word-named page
# beside it ("results/") can be shadowed, whatever the order of the patterns.
NUMBER = r"(?P<number>N[0-9]{8,14})"
urlpatterns += [
    path("mine/", needs.mine, name="mine"),
    path("new/", needs.new, name="new"),
    re_path(rf"^{NUMBER}/$", needs.detail, name="detail"),
    re_path(rf"^{NUMBER}/rate/$", needs.rate, name="rate"),
    re_path(
        rf"^{NUMBER}/files/(?P<pk>[0-9]{{1,18}})/$", needs.deliverable_file, name="deliverable"
    ),
    re_path(rf"^{NUMBER}/visits/(?P<pk>[0-9]{{1,18}})/photo/$", needs.visit_photo, name="photo"),
]
