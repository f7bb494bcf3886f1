from django.urls import path

from vagval.matching import views

app_name = "matching"

urlpatterns = [
    path("person/<uuid:person_id>/", views.suggestions, name="suggestions"),
    path("person/<uuid:person_id>/profil/", views.profile_edit, name="profile"),
    path("person/<uuid:person_id>/foresla/", views.propose, name="propose"),
    path("person/<uuid:person_id>/avvisa/", views.reject, name="reject"),
]

urlpatterns += [
    path("", views.overview, name="overview"),
    path("projekt/<uuid:project_id>/vikter/", views.weights_edit, name="weights"),
    path("efterfragan/", views.demand, name="demand"),
    path("efterfragan/export/", views.demand_export, name="demand_export"),
]
