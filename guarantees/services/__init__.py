"""Services of the guarantee app: the only code that changes its rows (see each module)."""
