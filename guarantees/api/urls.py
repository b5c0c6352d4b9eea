"""Interfaces served to guarantees (filled in by its issue)."""
urlpatterns = []
