from django.contrib import admin

from groups.models import Group, Invitation, JoinRequest, Membership, ModerationLogEntry


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "visibility", "status", "last_activity_at", "archived_at")
    list_filter = ("kind", "visibility", "status")
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    raw_id_fields = ("created_by",)
    inlines = [MembershipInline]


@admin.register(JoinRequest)
class JoinRequestAdmin(admin.ModelAdmin):
    list_display = ("user", "group", "status", "created_at", "decided_by")
    list_filter = ("status",)
    raw_id_fields = ("user", "group", "decided_by")


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("group", "email", "user", "status", "created_at", "expires_at")
    list_filter = ("status",)
    raw_id_fields = ("user", "group", "invited_by")
    exclude = ("token",)


@admin.register(ModerationLogEntry)
class ModerationLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the log is evidence, not something to edit."""

    list_display = ("created_at", "group", "actor", "action", "target_user", "reason")
    list_filter = ("action",)
    search_fields = ("group__name", "reason", "detail")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
