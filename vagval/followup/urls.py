from django.urls import path

from vagval.followup import views

app_name = "followup"

urlpatterns = [
    path("", views.follow_up_list, name="list"),
    path("siffror/", views.figures_page, name="figures"),
    path("installningar/<uuid:project_id>/", views.settings_page, name="settings"),
    path("avsluta/<uuid:enrolment_id>/", views.exit_create, name="exit_create"),
    path("person/<uuid:person_id>/", views.person_exits, name="person"),
    path("<uuid:follow_up_id>/", views.follow_up_detail, name="detail"),
    path("<uuid:follow_up_id>/kontaktforsok/", views.follow_up_attempt, name="attempt"),
    path("<uuid:follow_up_id>/ej-nadd/", views.follow_up_not_reached, name="not_reached"),
    path("<uuid:follow_up_id>/bekrafta/", views.follow_up_confirm, name="confirm"),
    path("svar/<str:token>/", views.answer, name="answer"),
]
