from django.urls import path

from .views import file_download

app_name = "materials"

urlpatterns = [
    path("files/<int:file_id>/<str:filename>", file_download, name="file"),
]
