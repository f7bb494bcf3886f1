app_name = "targetgroup"
urlpatterns: list[object] = []
