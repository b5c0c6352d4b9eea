"""What the docking pages answer when a request goes wrong: pages in Chinese with the HTTP status, never the
e-mall envelope the served interfaces answer with (a supplier reads these pages in a browser)."""
from django.shortcuts import render


def is_docking_page(request):
    return request.path.startswith("/docking/")


def not_found(request):
    return render(request, "docking/not_found.html", status=404)


def denied(request):
    return render(request, "docking/denied.html", status=403)


def csrf_refused(request):
    return render(request, "docking/csrf_refused.html", status=403)

