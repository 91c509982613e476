from django.contrib import admin

from .models import ActionLog, Refusal


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


@admin.register(Refusal)
class RefusalAdmin(ActionLogAdmin):
    """Read-only: refused requests (403), append-only like the action log."""

    list_display = ["created_at", "actor", "method", "path", "ip_address"]
    list_filter = ["method"]
    search_fields = ["path"]
