from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("public/events/rsvp/<str:token>/", views.rsvp, name="rsvp"),
    # F7: tasks from HQ
    path("events/tasks/", views.task_list, name="tasks"),
    path("events/tasks/new/", views.task_create, name="task_create"),
    path("events/tasks/<int:pk>/", views.assignment_detail, name="assignment"),
    path("events/tasks/<int:pk>/done/", views.assignment_done, name="assignment_done"),
    path("events/tasks/<int:pk>/review/", views.assignment_review, name="assignment_review"),
    path("events/tasks/<int:pk>/file/", views.assignment_file, name="assignment_file"),
    # F2, F5: events, run-sheet, guests
    path("events/", views.event_list, name="list"),
    path("events/new/", views.event_create, name="create"),
    path("events/<int:pk>/", views.event_detail, name="detail"),
    path("events/<int:pk>/edit/", views.event_edit, name="edit"),
    path("events/<int:pk>/state/", views.event_state, name="state"),
    path("events/<int:pk>/runsheet/<int:item_pk>/", views.runsheet_update, name="runsheet"),
    path("events/<int:pk>/runsheet/pdf/", views.runsheet_pdf, name="runsheet_pdf"),
    path("events/<int:pk>/guests/", views.guest_add, name="guest_add"),
    path("events/<int:pk>/guests/xlsx/", views.guest_export, name="guest_export"),
    path("events/<int:pk>/guests/<int:guest_pk>/card/", views.invitation_card, name="card"),
    path("events/<int:pk>/invite/", views.invitations_send, name="invite"),
    path("events/<int:pk>/check-in/", views.check_in, name="check_in"),
    # F4: supplies
    path("events/supplies/", views.supply_list, name="supplies"),
    path("events/supplies/<int:pk>/", views.supply_detail, name="supply"),
    path("events/supplies/loans/<int:pk>/return/", views.supply_return, name="supply_return"),
    # E1-E3: occasions
    path("events/occasions/", views.occasion_list, name="occasions"),
    path("events/occasions/seed/", views.occasions_seed, name="occasions_seed"),
    path("events/occasions/new/", views.occasion_edit, name="occasion_create"),
    path("events/occasions/<int:pk>/", views.occasion_detail, name="occasion"),
    path("events/occasions/<int:pk>/edit/", views.occasion_edit, name="occasion_edit"),
    path("events/activities/", views.activity_list, name="activities"),
    path("events/activities/new/", views.activity_create, name="activity_create"),
    path("events/contents/", views.content_list, name="contents"),
    path("events/contents/new/", views.content_create, name="content_create"),
    path("events/contents/<int:pk>/", views.content_detail, name="content"),
    path("events/contents/<int:pk>/send/", views.content_send, name="content_send"),
    path("events/contents/<int:pk>/ack/", views.content_acknowledge, name="content_ack"),
    path("events/contents/<int:pk>/file/", views.content_file, name="content_file"),
]
