from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("public/events/rsvp/<str:token>/", views.rsvp, name="rsvp"),
    # F2, F5: events, run-sheet, guests (holding, cancelling: the generic workflow step view)
    path("events/", views.event_list, name="list"),
    path("events/new/", views.event_create, name="create"),
    path("events/my-roles/", views.my_roles, name="my_roles"),
    path("events/outside-people/", views.outside_people, name="outside_people"),
    path("events/outside-people/<int:pk>/", views.outside_person_edit, name="outside_person"),
    path("events/<int:pk>/", views.event_detail, name="detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="edit"),
    path("events/<int:pk>/record/", views.event_record, name="record"),
    path("events/<int:pk>/photos/", views.event_photos, name="photos"),
    path("events/<int:pk>/photos/<int:photo_pk>/remove/", views.event_photo_remove, name="photo_remove"),
    path("events/<int:pk>/runsheet/", views.runsheet_save, name="runsheet_save"),
    path("events/<int:pk>/runsheet/<int:item_pk>/", views.runsheet_update, name="runsheet"),
    path("events/<int:pk>/runsheet/pdf/", views.runsheet_pdf, name="runsheet_pdf"),
    path("events/<int:pk>/guests/", views.guest_add, name="guest_add"),
    path("events/<int:pk>/guests/xlsx/", views.guest_export, name="guest_export"),
    path("events/<int:pk>/guests/<int:guest_pk>/edit/", views.guest_edit, name="guest_edit"),
    path("events/<int:pk>/guests/<int:guest_pk>/delete/", views.guest_delete, name="guest_delete"),
    path("events/<int:pk>/guests/<int:guest_pk>/card/", views.invitation_card, name="card"),
    path("events/<int:pk>/invite/", views.invitations_send, name="invite"),
    path("events/<int:pk>/check-in/", views.check_in, name="check_in"),
    # F4: supplies
    path("events/supplies/", views.supply_list, name="supplies"),
    path("events/supplies/kit/", views.supply_kit, name="supply_kit"),
    path("events/supplies/<int:pk>/", views.supply_detail, name="supply"),
    path("events/supplies/loans/<int:pk>/return/", views.supply_return, name="supply_return"),
]
