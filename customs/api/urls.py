"""Interfaces served to customs (filled in by its issue)."""
urlpatterns = []
