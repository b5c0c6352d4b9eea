"""What catalog sync and orders need from a supplier platform, whatever its protocol, and the registry.

A connector is built from a Supplier row. Interfaces a protocol may lack are declared in
`capabilities`; callers ask `connector.can(Capability.X)` before calling them.
"""
import enum
from importlib import import_module


class Capability(enum.Enum):
    MESSAGE_POOL = "message_pool"
    PROMISES = "promises"
    STOCK = "stock"
    ORDER_SUBMIT = "order_submit"
    ORDER_CONFIRM = "order_confirm"
    ORDER_CANCEL = "order_cancel"
    ORDER_QUERY = "order_query"
    ORDER_TRACK = "order_track"


class UnknownProtocol(LookupError):
    pass


class Connector:
    """Base of every supplier connector; subclasses implement the calls their protocol has."""

    protocol = ""
    label = ""
    capabilities = frozenset()
    batch_size = 100

    def __init__(self, supplier):
        self.supplier = supplier

    def can(self, capability):
        return capability in self.capabilities


# protocol name → (label shown to staff, dotted path of the connector class)
PROTOCOLS = {
    "emall": ("电子卖场对接标准（2022-10）", "procurement.connectors.emall.EmallConnector"),
}


def protocol_choices():
    return [(name, label) for name, (label, _path) in PROTOCOLS.items()]


def connector_class(protocol):
    try:
        _label, path = PROTOCOLS[protocol]
    except KeyError:
        raise UnknownProtocol(f"未知的对接协议：{protocol!r}（可用：{', '.join(PROTOCOLS)}）") from None
    module_path, class_name = path.rsplit(".", 1)
    return getattr(import_module(module_path), class_name)


def connector_for(supplier):
    return connector_class(supplier.protocol)(supplier)
