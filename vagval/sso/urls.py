from django.urls import path

from vagval.sso import admin_views, views

app_name = "sso"
urlpatterns = [
    path("administration/", admin_views.provider_list, name="provider_list"),
    path("administration/ny/", admin_views.provider_create, name="provider_create"),
    path("administration/<uuid:provider_id>/", admin_views.provider_edit, name="provider_edit"),
    path("administration/<uuid:provider_id>/identiteter/ny/", admin_views.identity_add, name="identity_add"),
    path(
        "administration/<uuid:provider_id>/identiteter/<uuid:identity_id>/ta-bort/",
        admin_views.identity_remove,
        name="identity_remove",
    ),
    path("administration/organisationer/", admin_views.policies, name="policies"),
    path(
        "administration/organisationer/<uuid:organisation_id>/",
        admin_views.policy_edit,
        name="policy_edit",
    ),
    # The sign-in trips last: "administration" is not a provider's short name (services refuse it).
    path("<slug:slug>/", views.start, name="start"),
    path("<slug:slug>/saml/acs/", views.saml_acs, name="saml_acs"),
    path("<slug:slug>/saml/metadata/", views.saml_metadata, name="saml_metadata"),
    path("<slug:slug>/saml/utloggad/", views.saml_logout_done, name="saml_logout_done"),
    path("<slug:slug>/oidc/callback/", views.oidc_callback, name="oidc_callback"),
]
