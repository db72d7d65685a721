from django.contrib import admin

from discussions.models import Post, Thread


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ("title", "group", "author", "last_activity_at")
    list_filter = ("group",)
    search_fields = ("title",)
    raw_id_fields = ("author",)


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("thread", "author", "created_at")
    search_fields = ("body",)
    raw_id_fields = ("author", "thread")
