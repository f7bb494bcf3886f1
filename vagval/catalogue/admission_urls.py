from django.urls import path

from vagval.catalogue import admission_views as views

urlpatterns = [
    path("antagning/", views.round_list, name="admission_rounds"),
    path("antagning/erbjudande/<uuid:offer_id>/ny-omgang/", views.round_create, name="admission_round_create"),
    path("antagning/<uuid:round_id>/", views.board, name="admission_board"),
    path("antagning/<uuid:round_id>/andra/", views.round_edit, name="admission_round_edit"),
    path("antagning/<uuid:round_id>/ny-ansokan/", views.application_create, name="admission_application_create"),
    path("antagning/ansokan/<uuid:application_id>/", views.application_step, name="admission_application_step"),
]
