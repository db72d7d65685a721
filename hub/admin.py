from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from hub.models import Notification, User

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
    list_display = ("recipient", "kind", "actor", "created_at", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("recipient", "actor", "group")
