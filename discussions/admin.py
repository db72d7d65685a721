from django.contrib import admin

from discussions.models import Post, PostRevision, Reaction, Thread, ThreadEvent
from discussions.services import recount_thread
from hub import fragments


class RendersAgain(admin.ModelAdmin):
    """Edits here skip the services and write no thread event: drop cached post fragments."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        fragments.site_version_changed()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        fragments.site_version_changed()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        fragments.site_version_changed()


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("title", "group", "author", "post_count", "is_pinned", "is_locked")
    list_filter = ("is_pinned", "is_locked", "group")
    search_fields = ("title",)
    raw_id_fields = ("author", "group")
    # Moves, pins and locks go through the site, so they are logged and sent live.
    readonly_fields = ("group", "is_pinned", "is_locked")


class RevisionInline(admin.TabularInline):
    model = PostRevision
    extra = 0
    can_delete = False
    readonly_fields = ("body", "written_at", "created_at")
    exclude = ("body_html",)


@admin.register(Post)
class PostAdmin(RendersAgain):
    list_display = ("thread", "author", "created_at", "edited_at", "deleted_at", "hidden_at")
    list_filter = ("hidden_at", "deleted_at")
    search_fields = ("body",)
    raw_id_fields = ("author", "thread", "reply_to", "hidden_by")
    inlines = [RevisionInline]

    def get_readonly_fields(self, request, obj=None):
        # Moving a post between threads here would skip both threads' counts and logs.
        return ("thread",) if obj else ()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        recount_thread(obj.thread)  # the page count comes from post_count

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        recount_thread(obj.thread)

    def delete_queryset(self, request, queryset):
        threads = list(Thread.objects.filter(posts__in=queryset).distinct())
        super().delete_queryset(request, queryset)
        for thread in threads:
            recount_thread(thread)


@admin.register(Reaction)
class ReactionAdmin(RendersAgain):
    list_display = ("post", "user", "emoji", "created_at")
    raw_id_fields = ("post", "user")


@admin.register(ThreadEvent)
class ThreadEventAdmin(admin.ModelAdmin):
    list_display = ("thread", "seq", "kind", "created_at")
    raw_id_fields = ("thread", "post")

    def has_change_permission(self, request, obj=None):
        return False  # the event log is history: never edited
