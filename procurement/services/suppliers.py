"""Supplier docking status and credentials: the only code that changes them."""
from django.views.decorators.debug import sensitive_variables

from procurement.kernel.statemachine import transition
from procurement.models import RemoteToken, Supplier, SupplierStatusChange


def supplier_set_docking_status(supplier, to_status, *, actor, reason=""):
    return transition(
        supplier, to_status, allowed=Supplier.DOCKING_TRANSITIONS, history=SupplierStatusChange,
        actor=actor, reason=reason, field="docking_status", supplier=supplier,
    )


@sensitive_variables("password", "app_secret")
def supplier_set_credentials(supplier, *, username=None, password=None, app_key=None, app_secret=None):
    """Store the supplier platform's credentials; None leaves a value as it is."""
    changes = {
        "remote_username": username, "remote_password": password,
        "remote_app_key": app_key, "remote_app_secret": app_secret,
    }
    fields = [name for name, value in changes.items() if value is not None]
    for name in fields:
        setattr(supplier, name, changes[name])
    if fields:
        supplier.save(update_fields=fields + ["updated_at"])
        # A token obtained with the old credentials must not outlive them.
        RemoteToken.objects.filter(supplier=supplier).update(token="", expires_at=None)
    return supplier
