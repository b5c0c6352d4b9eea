"""Catalog sync from supplier platforms: plan a page of messages, fetch in batches, apply, acknowledge."""
