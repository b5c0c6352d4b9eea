"""Staff logins (the admin form, HTTP Basic and sessions on the staff APIs) are locked after repeated failures,
per username and per address, by django-axes; administrators see and lift locks in axes' admin pages.

What is ours here: the backend that lets a login made without a request through untracked (the test
client's `login()`, a shell), the address a caller is counted by, and the answer a locked login gets.
"""
from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

from procurement.kernel.served import caller_address


class LockoutBackend(AxesStandaloneBackend):
    """Refuses every login of a locked username or address; authenticates nobody itself (ModelBackend does).

    Every HTTP login passes its request; a login without one does not come from a caller over the network,
    and axes cannot count it, so it is left to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_address(request):
    """What axes counts a caller by: the same address the served interfaces' throttles use."""
    return caller_address(request)


def lockout_response(request, original_response=None, credentials=None):
    """A locked login seen by axes' middleware: a page in Chinese in the admin, HTTP 429. (The staff APIs
    answer their own locked logins in JSON: procurement/kernel/staffapi.py.)"""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": settings.AXES_COOLOFF_MESSAGE}, status=429,
                            json_dumps_params={"ensure_ascii": False})
    from django.contrib import admin

    return render(request, "admin/staff_locked_out.html",
                  {**admin.site.each_context(request), "message": settings.AXES_COOLOFF_MESSAGE}, status=429)

