"""A tiny PDF writer for the sandbox guarantor: one A4 page of text lines, Chinese through the built-in STSong font."""

_FONT = (
    "<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H "
    "/DescendantFonts [<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light "
    "/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> >>] >>"
)


def _hex_text(line):
    # UniGB-UCS2-H takes UCS-2 code units; characters outside the BMP are replaced.
    return "".join(f"{ord(ch) if ord(ch) < 0x10000 else 0x3F:04X}" for ch in line)


def text_pdf(title, lines):
    """A valid one-page PDF (bytes) showing `title` and `lines`; long lines are cut into 60-character pieces."""
    pieces = [title, ""] + [line[i:i + 60] for line in lines for i in range(0, max(len(line), 1), 60)]
    stream = "BT /F1 12 Tf 50 790 Td 16 TL " + " ".join(f"<{_hex_text(p)}> Tj T*" for p in pieces[:48]) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        "/Contents 5 0 R >>",
        _FONT,
        f"<< /Length {len(stream.encode('ascii'))} >>\nstream\n{stream}\nendstream",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n{content}\nendobj\n".encode("ascii")
    xref = len(body)
    table = "".join(f"{offset:010d} 00000 n \n" for offset in offsets)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n{table}".encode("ascii")
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode("ascii")
    return body
