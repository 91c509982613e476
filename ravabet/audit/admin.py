from django.contrib import admin

from .models import ActionLog


@admin.register(ActionLog)
class ActionLogAdmin(admin.ModelAdmin):
    """Read-only: the action log is append-only."""

    list_display = ["created_at", "actor", "unit", "action", "summary"]
    list_filter = ["action", "unit"]
    search_fields = ["summary", "action"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
