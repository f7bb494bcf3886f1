from django.urls import path

from vagval.health import views

app_name = "health"
urlpatterns = [
    path("live", views.live, name="live"),
    path("redo", views.ready, name="ready"),
]
