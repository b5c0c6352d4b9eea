"""Reading payment documents from JSON files for the import command: shape first, then the services' rules."""
from pathlib import Path

from customs.api.payment_serializers import PaymentDocument
from customs.payments.services import PaymentInvalid, payments_import
from customs.wire import parse_customs_json


class ImportRefused(Exception):
    def __init__(self, problems):
        super().__init__(f"{len(problems)} 处错误")
        self.problems = problems


def payments_import_files(paths):
    """Check every document of every file, then save them all in one transaction. Returns (created, updated)."""
    documents, problems = [], []
    for path in paths:
        for where, document in _read(path, problems):
            incoming = PaymentDocument(data=document)
            if incoming.is_valid():
                documents.append(incoming.validated_data)
            else:
                problems.extend(f"{where}：{line}" for line in _flatten(incoming.errors))
    if problems:
        raise ImportRefused(problems)
    try:
        return payments_import(documents)
    except PaymentInvalid as invalid:
        raise ImportRefused(invalid.problems) from None


def _read(path, problems):
    name = Path(path).name
    try:
        document = parse_customs_json(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        problems.append(f"{name}：无法读取：{exc}")
        return []
    if isinstance(document, dict) and isinstance(document.get("payments"), list):
        document = document["payments"]
    if not isinstance(document, list) or not all(isinstance(item, dict) for item in document):
        problems.append(f"{name}：应为支付记录（对象）组成的数组")
        return []
    return [(f"{name} 第 {i + 1} 条", item) for i, item in enumerate(document)]


def _flatten(errors, prefix=""):
    """DRF's nested error structure as `field.sub[0].name: message` lines."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            yield from _flatten(value, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(errors, list) and errors and not isinstance(errors[0], str):
        for index, value in enumerate(errors):
            if value:
                yield from _flatten(value, f"{prefix}[{index}]")
    else:
        for message in errors if isinstance(errors, list) else [errors]:
            yield f"{prefix}: {message}"
