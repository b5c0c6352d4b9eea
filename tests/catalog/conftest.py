"""Fixtures of the catalog tests live in tests/conftest.py (the order tests use the same sandbox suppliers)."""
