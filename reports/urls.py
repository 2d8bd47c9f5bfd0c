from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("monthly/", views.monthly, name="monthly"),
    path("monthly.csv", views.monthly_csv, name="monthly_csv"),
]
