from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from kendra.models import Centre


@login_required
def floor(request):
    """The floor: signed in, one indexed query (by primary key), a tiny template.
    The best a page can do on this stack; every page is measured against it."""
    centre = Centre.objects.filter(pk=request.GET.get("c") or 1).first()
    return render(request, "bench/floor.html", {"centre": centre})
