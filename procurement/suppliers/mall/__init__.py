"""The older 网上商城 standard (seed 001, docs/mall-supplier-contract.md): connector, wire format, sandbox."""
