from django.urls import path

from vagval.budget import views

app_name = "budget"

urlpatterns = [
    path("projekt/<uuid:project_id>/", views.project, name="project"),
    path("projekt/<uuid:project_id>/budget/", views.lines, name="lines"),
    path("projekt/<uuid:project_id>/manad/", views.month, name="month"),
    path("projekt/<uuid:project_id>/import/", views.import_costs, name="import"),
    path("import/<uuid:import_id>/angra/", views.import_undo, name="import_undo"),
]
