from django.urls import path

from vagval.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("ny/<uuid:person_id>/", views.referral_create, name="create"),
    path("svarstider/", views.response_times, name="response_times"),
    path("<uuid:referral_id>/", views.referral_detail, name="detail"),
]
