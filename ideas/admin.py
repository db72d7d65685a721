from django.contrib import admin

from ideas.models import Board, BoardEvent, Comment, Idea, StatusChange, Tag, Vote


class TagInline(admin.TabularInline):
    model = Tag
    extra = 0


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ("title", "group", "state", "votes_per_member", "created_at")
    list_filter = ("state", "group")
    raw_id_fields = ("created_by",)
    inlines = [TagInline]


class StatusChangeInline(admin.TabularInline):
    model = StatusChange
    extra = 0
    can_delete = False
    fk_name = "idea"
    fields = ("created_at", "actor", "from_status", "to_status", "response")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False  # decisions are made on the site, where followers hear of them


@admin.register(Idea)
class IdeaAdmin(admin.ModelAdmin):
    list_display = ("title", "board", "status", "vote_count", "comment_count", "created_at")
    list_filter = ("status", "board__group")
    search_fields = ("title", "body")
    raw_id_fields = ("author", "duplicate_of", "thread", "post", "hidden_by")
    # Counts and status move only through the services (votes, decisions), never by hand.
    readonly_fields = ("vote_count", "comment_count", "status")
    exclude = ("trending",)
    inlines = [StatusChangeInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("idea", "author", "created_at", "deleted_at", "hidden_at")
    search_fields = ("body",)
    raw_id_fields = ("idea", "author", "hidden_by")


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ("idea", "user", "created_at")
    raw_id_fields = ("idea", "user")

    def has_change_permission(self, request, obj=None):
        return False  # a vote changed by hand would leave the idea's count wrong

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BoardEvent)
class BoardEventAdmin(admin.ModelAdmin):
    list_display = ("board", "seq", "kind", "created_at")
    raw_id_fields = ("board", "idea")

    def has_change_permission(self, request, obj=None):
        return False
