app_name = "assessments"
urlpatterns: list[object] = []
