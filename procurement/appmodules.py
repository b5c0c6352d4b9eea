"""The project's own apps, and the optional per-app modules they contribute (roles, schedules, demo)."""
from importlib import import_module

LOCAL_APPS = ("procurement", "catalog", "orders", "guarantees", "customs")


def app_modules(name):
    """Each local app's `<app>.<name>` module, for the apps that have one."""
    for label in LOCAL_APPS:
        try:
            yield import_module(f"{label}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{label}.{name}":
                raise
