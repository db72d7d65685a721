from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django.views.i18n import set_language as django_set_language

from discussions import selectors as discussion_selectors
from groups import selectors as group_selectors
from hub import health, services
from hub.forms import ProfileForm
from ideas import selectors as idea_selectors


def home(request):
    context = {
        "groups": group_selectors.visible_groups(request.user)[:12],
        "top_ideas": idea_selectors.top_ideas(request.user, limit=5),
    }
    if request.user.is_authenticated:
        context["invitations"] = group_selectors.my_invitations(request.user)
        context["my_groups"] = discussion_selectors.my_groups_with_unread(request.user)
    return render(request, "hub/home.html", context)


def accessibility(request):
    return render(request, "hub/accessibility.html")


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("profile")
    return render(request, "hub/profile.html", {"form": form})


@require_POST
def set_language(request):
    """Django's switcher, plus remembering the choice on the signed-in user."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and response.cookies.get(settings.LANGUAGE_COOKIE_NAME):
        services.set_preferred_language(user=request.user, language=language)
    return response


@never_cache
@require_GET
async def healthz(request):
    database_ok, database_detail = await sync_to_async(health.check_database)()
    layer_ok, layer_detail = await health.check_channel_layer()
    healthy = database_ok and layer_ok
    body = {
        "status": "ok" if healthy else "unavailable",
        "database": {"ok": database_ok, "detail": database_detail},
        "channel_layer": {"ok": layer_ok, "detail": layer_detail},
    }
    return JsonResponse(body, status=200 if healthy else 503)
