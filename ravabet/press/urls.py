from django.urls import path

from . import views

app_name = "press"
urlpatterns = [
    path("press/outlets/", views.outlet_list, name="outlet_list"),
    path("press/outlets/new/", views.outlet_create, name="outlet_create"),
    path("press/outlets/<int:pk>/", views.outlet_edit, name="outlet_edit"),
    path("press/journalists/", views.journalist_list, name="journalist_list"),
    path("press/journalists/new/", views.journalist_create, name="journalist_create"),
    path("press/journalists/<int:pk>/", views.journalist_edit, name="journalist_edit"),
    path("press/requests/", views.request_list, name="request_list"),
    path("press/requests/new/", views.request_create, name="request_create"),
    path("press/requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("press/requests/<int:pk>/edit/", views.request_edit, name="request_edit"),
    path("press/requests/<int:pk>/done/", views.request_done, name="request_done"),
    path("press/requests/<int:pk>/pdf/", views.request_pdf, name="request_pdf"),
    path("press/requests/<int:pk>/invitations/", views.invitation_add, name="invitation_add"),
    path("press/requests/<int:pk>/invitations/<int:invitation_pk>/", views.invitation_record,
         name="invitation_record"),
    path("press/visits/", views.visit_list, name="visit_list"),
    path("press/visits/new/", views.visit_create, name="visit_create"),
    path("press/visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("press/visits/<int:pk>/outcome/", views.visit_outcome, name="visit_outcome"),
    path("press/contacts/", views.contact_list, name="contact_list"),
    path("press/contacts/new/", views.contact_create, name="contact_create"),
    path("press/contacts/<int:pk>/", views.contact_detail, name="contact_detail"),
    path("press/contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("press/monitor/", views.item_list, name="item_list"),
    path("press/monitor/<int:pk>/", views.item_detail, name="item_detail"),
    path("press/sources/", views.source_list, name="source_list"),
    path("press/sources/<int:pk>/", views.source_edit, name="source_edit"),
    path("press/sources/<int:pk>/fetch/", views.source_fetch, name="source_fetch"),
    path("press/keywords/new/", views.keyword_add, name="keyword_add"),
    path("press/keywords/<int:pk>/delete/", views.keyword_delete, name="keyword_delete"),
]
