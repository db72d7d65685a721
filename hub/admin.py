from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from hub.models import Digest, Notification, NotificationPreference, User

admin.site.site_header = _("Kring administration")
admin.site.site_title = _("Kring administration")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("email", "display_name", "department", "is_staff", "is_active")
    search_fields = ("email", "display_name", "first_name", "last_name", "department")
    ordering = ("email",)
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Kring profile"), {"fields": ("display_name", "department", "language")}),
    )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "kind", "actor", "created_at", "read_at", "delivery", "emailed_at")
    list_filter = ("kind", "delivery")
    list_select_related = ("recipient", "actor")
    raw_id_fields = ("recipient", "actor", "group", "digest")
    readonly_fields = ("delivery", "emailed_at")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "delivery")
    list_filter = ("kind", "delivery")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    search_fields = ("user__email", "user__display_name")


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    """Read-only: a row is the promise that this person's digest of that day went out."""

    list_display = ("user", "day", "created_at", "sent_at")
    list_filter = ("day",)
    list_select_related = ("user",)
    search_fields = ("user__email", "user__display_name")
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
