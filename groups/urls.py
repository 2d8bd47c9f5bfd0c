app_name = "groups"

urlpatterns = []
