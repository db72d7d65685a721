from django.contrib import admin

from ideas.models import Board, Idea


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ("title", "group", "created_at")
    list_filter = ("group",)


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ("title", "board", "status", "vote_count", "created_at")
    list_filter = ("status", "board__group")
    search_fields = ("title", "body")
    raw_id_fields = ("author",)
    readonly_fields = ("vote_count",)
