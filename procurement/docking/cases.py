"""The docking test cases' shared base: a Case names what it checks (the contract clause), whether the run needs it
(required; the mall standard's 非必需 ☆ interfaces are not), what it runs after, and its function.

Each protocol lists its cases beside its connector, in `procurement/suppliers/<protocol>/docking.py` (CASES and
CONTRACT_VERSION, the version of its docs/ contract). A case function takes the run's CaseContext
(procurement.docking.context) and returns a dict of what it measured, or raises CaseFailed with a reason in
Chinese that a supplier's developer can act on (which interface, which field, what was expected).
"""
from dataclasses import dataclass
from importlib import import_module

from procurement.suppliers.registry import PROTOCOLS, UnknownProtocol


class CaseFailed(Exception):
    """The supplier's platform did not do what the clause asks: `reason` says what and where."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def expect(condition, reason):
    """CaseFailed(reason) unless `condition`."""
    if not condition:
        raise CaseFailed(reason)


@dataclass(frozen=True)
class Case:
    name: str
    title: str
    clause: str
    function: object
    required: bool = True
    after: tuple = ()
    # The optional interface the case tests (procurement.suppliers.base.Capability): a case of an interface staff
    # have recorded the supplier does not provide (Supplier.interfaces_off) is not run.
    capability: object = None
    # Run once every other case has finished, whatever their verdicts (it judges the run's calls: latency).
    runs_last: bool = False


def cases_module(protocol):
    if protocol not in PROTOCOLS:
        raise UnknownProtocol(f"未知的对接协议：{protocol!r}")
    return import_module(f"procurement.suppliers.{protocol}.docking")


def cases_for(protocol):
    """The protocol's cases, in the order the report lists them: required ones first, then the others."""
    cases = list(cases_module(protocol).CASES)
    return [case for case in cases if case.required] + [case for case in cases if not case.required]


def contract_version(protocol):
    return cases_module(protocol).CONTRACT_VERSION


def case_named(protocol, name):
    for case in cases_for(protocol):
        if case.name == name:
            return case
    raise KeyError(name)
