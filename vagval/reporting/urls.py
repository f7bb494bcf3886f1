from django.urls import path

from vagval.reporting import views

app_name = "reporting"

urlpatterns = [
    path("", views.index, name="index"),
    path("styrgrupp/<uuid:project_id>/", views.steering, name="steering"),
    path("styrgrupp/<uuid:project_id>/rapport.pdf", views.steering_pdf, name="steering_pdf"),
    path("styrgrupp/<uuid:project_id>/rapport.xlsx", views.steering_xlsx, name="steering_xlsx"),
]
