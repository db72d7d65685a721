from django.contrib import admin

from groups.models import Group, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "visibility", "created_at", "archived_at")
    list_filter = ("kind", "visibility")
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]
