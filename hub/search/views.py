from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from hub.search import selectors
from hub.search.forms import SearchForm

PAGE = "pagina"


@login_required
@require_safe
def results(request):
    """Search what the user may see. An empty query shows just the form; a bad one, its error."""
    form = SearchForm(request.GET)
    context = {"form": form, "results": None, "page_param": PAGE}
    if form.is_valid() and form.cleaned_data["q"]:
        text = form.cleaned_data["q"]
        found = selectors.search(
            request.user,
            text,
            tab=request.GET.get("soort", "alles"),
            page_number=request.GET.get(PAGE),
        )
        context.update(
            results=found,
            search_query=text,
            query_string=urlencode({"q": text, "soort": found.tab}),
            tabs=[
                (key, label, count, urlencode({"q": text, "soort": key}))
                for key, label, count in found.tabs()
            ],
        )
    return render(request, "search/results.html", context, status=400 if form.errors else 200)
