from django.urls import path, re_path

from qualitymonth.campaigns.views import participation, public

app_name = "campaigns"

urlpatterns = [
    path("", public.home, name="home"),
    path("campaigns/<slug:slug>/", public.home, name="campaign"),
    # Several cities on one deployment: the chooser, and each city's home by its region code.
    path("c/", public.cities, name="cities"),
    re_path(r"^c/(?P<code>[0-9]{2,12})/$", public.city_home, name="city"),
    path("campaigns/<slug:slug>/join/", participation.join, name="join"),
    path(
        "campaigns/<slug:slug>/join/<int:pk>/withdraw/",
        participation.withdraw,
        name="join_withdraw",
    ),
    path("calendar/", public.calendar, name="calendar"),
    path("campaigns/<slug:slug>/calendar/", public.calendar, name="campaign_calendar"),
    path("campaigns/<slug:slug>/calendar.ics", public.campaign_ics, name="campaign_ics"),
    path("activities/<int:pk>/", public.activity_detail, name="activity"),
    path("activities/<int:pk>/register/", public.register, name="register"),
    path("activities/<int:pk>.ics", public.activity_ics, name="activity_ics"),
    path("tickets/", public.my_tickets, name="my_tickets"),
    path("tickets/<str:token>/", public.ticket, name="ticket"),
    path("tickets/<str:token>/cancel/", public.ticket_cancel, name="ticket_cancel"),
    path(
        "tickets/<str:token>/certificate.pdf", public.ticket_certificate, name="ticket_certificate"
    ),
    path("tickets/<str:token>/survey/", public.ticket_survey, name="ticket_survey"),
]
