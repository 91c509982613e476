from django.urls import path

from . import views

app_name = "compliance"
urlpatterns = [
    path("instruction/", views.catalog, name="catalog"),
    path("instruction/scorecard/", views.scorecard, name="scorecard"),
    path("instruction/scorecard/mine/", views.mine, name="mine"),
    path("instruction/scorecard/weights/", views.weights, name="weights"),
    path("instruction/scorecard/close/", views.close_period, name="close"),
    path("instruction/scorecard/refresh/", views.refresh, name="refresh"),
    path("instruction/scorecard/units/<int:unit_id>/", views.unit_rows, name="unit_rows"),
    path("instruction/scorecard/<int:unit_id>/<str:code>/", views.cell, name="cell"),
    path("instruction/scorecard/<int:unit_id>/<str:code>/<int:pk>/mark/", views.mark, name="mark"),
]
