import re

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from hub.personal import selectors, services
from hub.personal.forms import DeleteAccountForm


@login_required
@require_safe
def dashboard(request):
    """Mijn Kring: my groups, ideas I follow, invitations and requests, notifications."""
    return render(request, "personal/dashboard.html", selectors.dashboard(request.user))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def export(request):
    """GET explains what is in the file; POST downloads it (only ever one's own data)."""
    if request.method == "GET":
        return render(request, "personal/export.html")
    response = StreamingHttpResponse(
        services.export_json(request.user), content_type="application/json; charset=utf-8"
    )
    # A username is letters, digits and @.+-_; anything else stays out of the header.
    filename = (
        "kring-gegevens-" + re.sub(r"[^A-Za-z0-9@.+_-]", "_", request.user.username) + ".json"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def delete_account(request):
    """Explain, ask for the email address, refuse while groups need a new owner."""
    form = DeleteAccountForm(request.user, request.POST or None)
    blocking = list(selectors.groups_to_hand_over(request.user))
    if request.method == "POST" and not blocking and form.is_valid():
        try:
            services.delete_account(user=request.user)
        except services.HandOverFirst as refused:  # became sole owner meanwhile
            blocking = refused.groups
        else:
            logout(request)
            messages.success(request, _("Your account has been deleted. Goodbye!"))
            return redirect("home")
    status = 200
    if request.method == "POST":
        status = 409 if blocking else 400
    context = {"form": form, "blocking": blocking}
    return render(request, "personal/delete.html", context, status=status)
