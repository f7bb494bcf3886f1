from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

from vagval.pages import urls as pages_urls
from vagval.pages import views as pages_views
from vagval.people import urls as people_urls

urlpatterns = [
    path("", pages_views.home, name="home"),
    path("mina-projekt/", pages_views.leader_start, name="leader_start"),
    path("halsa/", include("vagval.health.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("vagval.accounts.urls")),
    path("inloggning/", include("vagval.sso.urls")),
    # One namespace "people": the start page and the person page come from pages (they show
    # sections of several apps), the other person pages from people.
    path("personer/", include((pages_urls.person_urlpatterns + people_urls.urlpatterns, "people"))),
    path("samtycken/", include("vagval.consent.urls")),
    path("plan/", include("vagval.plans.urls")),
    path("remisser/", include("vagval.referrals.urls")),
    path("anteckningar/", include("vagval.journal.urls")),
    path("kartlaggning/", include("vagval.assessments.urls")),
    path("uppsokande/", include("vagval.outreach.urls")),
    path("register/", include("vagval.registers.urls")),
    path("malgrupp/", include("vagval.targetgroup.urls")),
    path("kaa/", include("vagval.kaa.urls")),
    path("katalog/", include("vagval.catalogue.urls")),
    path("matchning/", include("vagval.matching.urls")),
    path("uppfoljning/", include("vagval.followup.urls")),
    path("att-gora/", include("vagval.worklist.urls")),
    path("rapporter/", include("vagval.reporting.urls")),
    path("esf/", include("vagval.esf.urls")),
    path("utvardering/", include("vagval.evaluation.urls")),
    path("mal/", include("vagval.targets.urls")),
    path("budget/", include("vagval.budget.urls")),
    path("administration/", include("vagval.organisations.urls")),
    path("logg/", include("vagval.audit.urls")),
    path("dataskydd/", include("vagval.dataprotection.urls")),
    path("api/v1/", include("vagval.api.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.STATIC_URL, document_root=settings.STATIC_ROOT)
