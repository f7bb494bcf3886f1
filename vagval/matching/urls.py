from django.urls import path

from vagval.matching import views

app_name = "matching"

urlpatterns = [
    path("person/<uuid:person_id>/", views.suggestions, name="suggestions"),
    path("person/<uuid:person_id>/profil/", views.profile_edit, name="profile"),
    path("person/<uuid:person_id>/foresla/", views.propose, name="propose"),
    path("person/<uuid:person_id>/avvisa/", views.reject, name="reject"),
    path("person/<uuid:person_id>/rangordning/", views.rank, name="rank"),
]

urlpatterns += [
    path("", views.overview, name="overview"),
    path("projekt/<uuid:project_id>/vikter/", views.weights_edit, name="weights"),
    path("efterfragan/", views.demand, name="demand"),
    path("efterfragan/export/", views.demand_export, name="demand_export"),
    path("erbjudande/<uuid:offer_id>/anordnarens-onskemal/", views.offer_preference, name="offer_preference"),
]

urlpatterns += [
    path("intag/nytt/", views.intake_create, name="intake_create"),
    path("intag/<uuid:intake_id>/", views.intake_detail, name="intake"),
    path("intag/<uuid:intake_id>/los/", views.intake_solve, name="intake_solve"),
    path("intag/<uuid:intake_id>/andra/", views.intake_pair, name="intake_pair"),
    path("intag/<uuid:intake_id>/bekrafta/", views.intake_confirm, name="intake_confirm"),
]
