"""How the docking tool's figures read for staff and suppliers."""


def duration_words(ms):
    """1234 → "1.2 秒"; None → "—"."""
    if ms is None:
        return "—"
    if ms < 1000:
        return f"{ms} 毫秒"
    seconds = ms / 1000
    return f"{seconds:.1f} 秒" if seconds < 60 else f"{int(seconds // 60)} 分 {int(seconds % 60)} 秒"
