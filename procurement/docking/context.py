"""What a docking case works with: connectors to the test environment (tokens in memory only, never the
supplier's RemoteToken row), what several cases share (the SKUs on offer, the reference rules), raw calls for
the checks the connectors hide (the reply's text), and the order numbers of the supplier's test mode."""
import threading
import uuid

from django.conf import settings

from procurement.kernel import http
from procurement.suppliers.base import MemoryTokenStore
from procurement.suppliers.registry import connector_class


class CaseContext:
    def __init__(self, run, supplier, endpoint):
        self.run, self.supplier, self.endpoint = run, supplier, endpoint
        self.protocol = run.protocol
        self.token_store = MemoryTokenStore()
        self._shared, self._locks, self._lock = {}, {}, threading.Lock()

    def connector(self, *, own_token=False, endpoint=None, prepared=True):
        """A connector to the test environment; `own_token`: with a token store of its own (a case that counts
        the tokens it obtains), else the run's. `prepared`: set up as the protocol's case list says
        (`prepare_connector`, e.g. the mall's area mapping of the test environment)."""
        connector = connector_class(self.protocol)(self.supplier, endpoint=endpoint or self.endpoint)
        connector.token_store = MemoryTokenStore() if own_token else self.token_store
        prepare = getattr(self.cases_module, "prepare_connector", None)
        if prepared and prepare is not None:
            prepare(self, connector)
        return connector

    @property
    def cases_module(self):
        from procurement.docking.cases import cases_module

        return cases_module(self.protocol)

    def skus(self):
        """The SKUs the test environment offers, read once per run (the protocol's `offered_skus`)."""
        return self.shared("skus", lambda: self.cases_module.offered_skus(self, self.connector(prepared=False)))

    def shared(self, key, compute):
        """compute() once per run (per key), whichever case asks first; the others wait for it."""
        with self._lock:
            if key in self._shared:
                return self._shared[key]
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._shared:
                self._shared[key] = compute()
            return self._shared[key]

    def rules(self):
        from catalog.validation import Rules

        return self.shared("rules", Rules.load)

    def raw(self, connector, interface, params, *, token=True):
        """One call as sent, without the envelope's reading: the Reply (its text, as the platform wrote it)."""
        if token:
            params = {**params, "token": connector.token()}
        party = connector.counterparty(params.get("token", ""))
        return http.call(party, interface, connector.paths[interface], data=params)

    def order_number(self, tag):
        """A fresh order number of ours for the supplier's test mode (a re-run never meets an earlier order)."""
        return f"TEST{self.run.pk}{tag}{uuid.uuid4().hex[:8]}".upper()[:30]

    @property
    def sample_size(self):
        return settings.DOCKING_SAMPLE_SKUS

    @property
    def latency_threshold_ms(self):
        return settings.DOCKING_P95_MS
