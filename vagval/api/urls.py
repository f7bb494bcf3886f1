urlpatterns: list[object] = []  # placeholder: the django-ninja API is mounted here
