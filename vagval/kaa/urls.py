app_name = "kaa"
urlpatterns: list[object] = []
