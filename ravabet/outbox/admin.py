from django.contrib import admin, messages

from . import services
from .models import Notification, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "channel", "recipient", "state", "attempts", "next_attempt_at", "source"]
    list_filter = ["channel", "state"]
    search_fields = ["recipient", "idempotency_key", "source"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["retry_failed"]

    @admin.action(description="ارسال دوباره پیام‌های ناموفق")
    def retry_failed(self, request, queryset):
        for message in queryset.filter(state="failed"):
            services.retry(message=message, by=request.user)
        messages.success(request, "پیام‌های ناموفق دوباره در صف گذاشته شدند.")


admin.site.register(Notification)
