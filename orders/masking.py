"""Personal data as staff lists and logs show it: a phone's middle digits and an address's detail hidden."""


def mask_phone(phone):
    digits = str(phone or "")
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_address(address):
    text = str(address or "")
    return f"{text[:4]}****" if len(text) > 4 else "****" if text else ""
