from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import Closure, Membership, Person, Unit, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


@admin.register(User)
class RavabetUserAdmin(UserAdmin):
    fieldsets = ((None, {"fields": ("username", "password", "full_name", "email", "mobile")}),
                 ("دسترسی", {"fields": ("is_active", "is_staff", "is_superuser")}))
    add_fieldsets = ((None, {"fields": ("username", "full_name", "password1", "password2")}),)
    list_display = ["username", "full_name", "email", "is_active"]
    search_fields = ["username", "full_name", "email", "mobile"]
    inlines = [MembershipInline]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "city", "kind", "parent", "is_active"]
    search_fields = ["name", "code", "city"]
    list_filter = ["kind", "is_active"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "unit", "position", "mobile", "is_active"]
    search_fields = ["full_name", "mobile"]
    list_filter = ["unit"]


admin.site.register(Closure)
