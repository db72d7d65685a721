from django.http import Http404


def _todo(request, **kwargs):
    raise Http404


thread_list = create_thread = mention_suggestions = thread = reply = mark_read = _todo
pin = lock = move = post_permalink = edit_post = post_history = delete_post = _todo
react = hide_post = unhide_post = _todo
