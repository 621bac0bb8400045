from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [path("", views.UnitListView.as_view(), name="unit-list")]
