"""Supplier docking status and declared parameters: the only code that changes them."""
from django.views.decorators.debug import sensitive_variables

from procurement.kernel.statemachine import transition
from procurement.models import RemoteToken, Supplier, SupplierStatusChange
from procurement.suppliers.registry import connector_class


class ParametersInvalid(ValueError):
    """Declared parameters that cannot be stored; `problems` maps each parameter name to why."""

    def __init__(self, problems, labels):
        super().__init__("；".join(f"{labels[name]}：{problem}" for name, problem in problems.items()))
        self.problems = problems


def supplier_set_docking_status(supplier, to_status, *, actor, reason=""):
    return transition(
        supplier, to_status, allowed=Supplier.DOCKING_TRANSITIONS, history=SupplierStatusChange,
        actor=actor, reason=reason, field="docking_status", supplier=supplier,
    )


def declared_parameters(protocol):
    return connector_class(protocol).parameters


@sensitive_variables("values", "secrets")
def supplier_set_parameters(supplier, values):
    """Store the parameters `values` gives for the supplier's protocol (name → text).

    A secret left empty keeps the stored one (secrets are write-only). Every declared parameter is checked
    against what would be stored; nothing is written if one is wrong (ParametersInvalid). A token got with
    the old credentials ends with them.
    """
    plain, secrets = parameters_merged(supplier.protocol, supplier.parameters, supplier.secret_parameters, values)
    changed = (plain, secrets) != (supplier.parameters, supplier.secret_parameters)
    if changed:
        supplier.parameters, supplier.secret_parameters = plain, secrets
        if supplier.pk:
            supplier.save(update_fields=["parameters", "secret_parameters", "updated_at"])
            RemoteToken.objects.filter(supplier=supplier).update(token="", expires_at=None)
    return changed


@sensitive_variables("values", "secrets")
def parameters_merged(protocol, plain, secrets, values):
    """(plain, secrets): the stored declared parameters of `protocol` with `values` applied (a secret left empty
    keeps the stored one), checked; ParametersInvalid if one is wrong. Production's parameters and a test
    environment's (procurement.docking) go through here alike."""
    plain, secrets = dict(plain), dict(secrets)
    for param in declared_parameters(protocol):
        value = (values.get(param.name) or "").strip()
        if param.secret and not value:
            continue
        if param.name in values:
            (secrets if param.secret else plain)[param.name] = value
    _check(protocol, {**plain, **secrets})
    return plain, secrets


def _check(protocol, stored):
    declared = declared_parameters(protocol)
    problems = {p.name: p.problem(stored.get(p.name, "")) for p in declared}
    problems = {name: problem for name, problem in problems.items() if problem}
    if problems:
        raise ParametersInvalid(problems, {p.name: p.label for p in declared})
