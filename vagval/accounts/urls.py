from django.urls import path

from vagval.accounts import views

app_name = "accounts"
urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", views.LogoutView.as_view(), name="logout"),
    path("tvastegsverifiering/", views.two_factor, name="two_factor"),
    path("tvastegsverifiering/stang-av/", views.two_factor_disable, name="two_factor_disable"),
    path("api-nycklar/", views.api_tokens, name="api_tokens"),
    path("api-nycklar/<uuid:token_id>/aterkalla/", views.api_token_revoke, name="api_token_revoke"),
    path("anvandare/", views.user_list, name="user_list"),
    path("anvandare/ny/", views.user_create, name="user_create"),
    path("anvandare/<int:user_id>/andra/", views.user_edit, name="user_edit"),
    path("anvandare/<int:user_id>/losenord/", views.user_password, name="user_password"),
    path(
        "anvandare/<int:user_id>/projektroller/ny/",
        views.user_project_role_add,
        name="user_project_role_add",
    ),
    path(
        "anvandare/<int:user_id>/projektroller/<uuid:project_role_id>/ta-bort/",
        views.user_project_role_remove,
        name="user_project_role_remove",
    ),
    path(
        "anvandare/<int:user_id>/tvastegsverifiering/aterstall/",
        views.user_two_factor_reset,
        name="user_two_factor_reset",
    ),
    path(
        "anvandare/<int:user_id>/api-nycklar/<uuid:token_id>/aterkalla/",
        views.user_api_token_revoke,
        name="user_api_token_revoke",
    ),
]
