from django.urls import path

from . import views

app_name = "recovery"

urlpatterns = [
    path("<int:resident_pk>/", views.plan, name="plan"),
    path("<int:resident_pk>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:resident_pk>/card/", views.plan_card, name="plan_card"),
]
