"""What the mall sandbox serves besides its interfaces: product images and product pages, under its own address.

Products store paths (/img/<sku>_<n>.jpg, /item/<sku>.html); the sandbox renders them as absolute URLs
with its public address. Every image it hands out answers with a tiny valid JPEG, made here byte by byte.
"""
from html import escape

from procurement.kernel.sandbox import SandboxResponse

FILE_PREFIXES = ("/img/", "/item/")
NOT_FOUND_PAGE = (b"<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center>"
                  b"<hr><center>nginx</center></body></html>")


def absolute(base_url, path):
    """A stored path under `base_url`; anything else (an absolute URL, "//host/…", "javascript:…") as it is,
    so the catalog generator's broken links stay broken."""
    if isinstance(path, str) and path.startswith("/") and not path.startswith("//"):
        return base_url.rstrip("/") + path
    return path


def not_found():
    return SandboxResponse(404, NOT_FOUND_PAGE, "text/html; charset=utf-8")


def file_prefix(path):
    return next((prefix for prefix in FILE_PREFIXES if path.startswith(prefix)), None)


def serve_file(products, path, dead_skus):
    """GET/HEAD of an image or a product page the sandbox handed out; 404 for anything else and dead images."""
    if path.startswith("/img/"):
        sku = path[len("/img/"):].rsplit("_", 1)[0]
        product = products.get(sku)
        if product is None or sku in dead_skus or path not in {image["url"] for image in product.images}:
            return not_found()
        return SandboxResponse(200, TINY_JPEG, "image/jpeg")
    sku = path[len("/item/"):].removesuffix(".html")
    product = products.get(sku)
    if product is None or product.detail.get("url") != path:
        return not_found()
    return SandboxResponse(200, _product_page(product), "text/html; charset=utf-8")


def _product_page(product):
    name = escape(product.detail.get("name") or product.sku)
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{name}</title></head>"
            f"<body><h1>{name}</h1>{product.detail.get('introduction', '')}</body></html>").encode()


def _segment(marker, payload):
    return b"\xff" + bytes([marker]) + (len(payload) + 2).to_bytes(2, "big") + payload


def _tiny_jpeg():
    """A 1×1 grey baseline JPEG: one Huffman code per table, the only block's DC difference 0, then end of block."""
    one_code = bytes([1] + [0] * 15) + b"\x00"  # one code of length 1 ("0") for symbol 0
    return b"".join([
        b"\xff\xd8",  # start of image
        _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"),
        _segment(0xDB, b"\x00" + bytes([1] * 64)),  # quantisation table 0: all ones
        _segment(0xC0, b"\x08\x00\x01\x00\x01\x01\x01\x11\x00"),  # 8-bit, 1×1, one component on table 0
        _segment(0xC4, b"\x00" + one_code),  # DC table 0: symbol 0 = difference category 0
        _segment(0xC4, b"\x10" + one_code),  # AC table 0: symbol 0 = end of block
        _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00"),  # start of scan: component 1, tables 0/0, coefficients 0–63
        b"\x3f",  # DC "0", EOB "0", padded with ones
        b"\xff\xd9",  # end of image
    ])


TINY_JPEG = _tiny_jpeg()
