from django.urls import path

from qualitymonth.supervision.views import directories as views

app_name = "sv_directory"
urlpatterns = [
    path("", views.home, name="home"),
    path("rules/", views.rules_edit, name="rules"),
    path("subjects/", views.subject_list, name="subjects"),
    path("subjects/new/<slug:kind>/", views.subject_new, name="subject_new"),
    path("subjects/import/", views.subject_import, name="subject_import"),
    path("subjects/import/template.xlsx", views.import_template, name="import_template"),
    path("subjects/export.xlsx", views.subject_export, name="subject_export"),
    path("subjects/<int:pk>/", views.subject_detail, name="subject"),
    path("subjects/<int:pk>/edit/", views.subject_edit, name="subject_edit"),
    path("subjects/<int:pk>/close/", views.subject_close, name="subject_close"),
    path("inspectors/", views.inspector_list, name="inspectors"),
    path("inspectors/new/", views.inspector_new, name="inspector_new"),
    path("inspectors/<int:pk>/", views.inspector_detail, name="inspector"),
    path("inspectors/<int:pk>/edit/", views.inspector_edit, name="inspector_edit"),
    path("inspectors/<int:pk>/active/", views.inspector_active, name="inspector_active"),
    path("inspectors/<int:pk>/links/new/", views.link_new, name="link_new"),
    path(
        "inspectors/<int:pk>/links/<int:link_pk>/remove/",
        views.link_remove,
        name="link_remove",
    ),
    path("check-items/", views.check_item_list, name="check_items"),
    path("check-items/new/", views.check_item_new, name="check_item_new"),
    path("check-items/<int:pk>/edit/", views.check_item_edit, name="check_item_edit"),
    path("categories/", views.category_list, name="categories"),
    path("categories/new/", views.category_new, name="category_new"),
    path("categories/<int:pk>/edit/", views.category_edit, name="category_edit"),
]
