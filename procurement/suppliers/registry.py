"""Protocol name → connector class: the one list of supplier protocols, which also feeds Supplier.protocol choices."""
from importlib import import_module


class UnknownProtocol(LookupError):
    pass


# protocol name → (label shown to staff, dotted path of the connector class)
PROTOCOLS = {
    "emall": ("电子卖场对接标准（2022-10）", "procurement.suppliers.emall.connector.EmallConnector"),
    "mall": ("网上商城对接标准", "procurement.suppliers.mall.connector.MallConnector"),
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
