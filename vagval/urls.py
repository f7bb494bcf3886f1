from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="people:caseload", permanent=False), name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("vagval.accounts.urls")),
    path("personer/", include("vagval.people.urls")),
    path("samtycken/", include("vagval.consent.urls")),
    path("plan/", include("vagval.plans.urls")),
    path("remisser/", include("vagval.referrals.urls")),
    path("anteckningar/", include("vagval.journal.urls")),
    path("kartlaggning/", include("vagval.assessments.urls")),
    path("uppsokande/", include("vagval.outreach.urls")),
    path("register/", include("vagval.registers.urls")),
    path("malgrupp/", include("vagval.targetgroup.urls")),
    path("kaa/", include("vagval.kaa.urls")),
    path("administration/", include("vagval.organisations.urls")),
    path("logg/", include("vagval.audit.urls")),
    path("api/v1/", include("vagval.api.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
