import uuid

from django.urls import resolve, reverse

from vagval.pages import views as pages_views
from vagval.people import views as people_views


def test_the_start_page_and_the_person_page_keep_their_people_names_and_come_from_pages():
    assert resolve(reverse("people:caseload")).func is pages_views.caseload
    assert resolve(reverse("people:detail", args=[uuid.uuid4()])).func is pages_views.person_detail


def test_the_other_person_pages_stay_in_people():
    assert resolve(reverse("people:search")).func is people_views.search
    assert resolve(reverse("people:edit", args=[uuid.uuid4()])).func is people_views.edit
