from django.urls import path

from . import views

app_name = "rota"

urlpatterns = [
    path("", views.rota, name="rota"),
    path("shifts/<int:pk>/remove/", views.shift_remove, name="shift_remove"),
]
