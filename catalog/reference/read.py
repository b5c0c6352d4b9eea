"""Reading reference-data files (JSON or CSV) into rows that remember the line they came from."""
import csv
import io
import json
import json.decoder
import json.scanner
from pathlib import Path

KINDS = ("areas", "brands", "promises", "categories", "params")

# The CSV header that identifies each kind of file.
CSV_KEY_COLUMNS = {
    "params": {"categoryCode", "attributeId"},
    "categories": {"code", "interfaceCode"},
    "areas": {"code", "level"},
    "promises": {"code", "kind"},
    "brands": {"code", "name"},
}


class ReadError(ValueError):
    pass


class Row(dict):
    """A record of the file, with the line number it starts on."""

    line = 0


def read_reference(path):
    """{kind: [Row, …]} from a JSON or CSV file."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReadError(f"{path.name}: 不是 UTF-8 编码的文件") from exc
    if path.suffix.lower() == ".json":
        return _from_json(text, path.name)
    if path.suffix.lower() == ".csv":
        return _from_csv(text, path.name)
    raise ReadError(f"{path.name}: 只支持 .json 与 .csv 文件")


def _from_json(text, name):
    try:
        document = _decoder().decode(text)
    except json.JSONDecodeError as exc:
        raise ReadError(f"{name} 第 {exc.lineno} 行: JSON 格式错误：{exc.msg}") from exc
    if not isinstance(document, dict) or not set(document) <= set(KINDS) or not document:
        raise ReadError(f"{name}: 顶层应为对象，键为 {', '.join(KINDS)} 之一或多个")
    rows = {}
    for kind, items in document.items():
        if not isinstance(items, list) or not all(isinstance(item, Row) for item in items):
            raise ReadError(f"{name}: {kind} 应为对象数组")
        rows[kind] = items
    for category in rows.get("categories", []):
        rows.setdefault("params", [])
        for param in category.pop("params", None) or []:
            param.setdefault("categoryCode", category.get("code"))
            rows["params"].append(param)
    return rows


def _decoder():
    """A JSON decoder whose objects are Rows carrying the line they start on."""
    decoder = json.JSONDecoder()

    def parse_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
        text, end = s_and_end
        pairs, new_end = json.decoder.JSONObject(s_and_end, strict, scan_once, None, list, memo)
        row = Row(pairs)
        row.line = text.count("\n", 0, end) + 1
        return row, new_end

    decoder.parse_object = parse_object
    decoder.scan_once = json.scanner.py_make_scanner(decoder)
    return decoder


def _from_csv(text, name):
    # List columns (a param's `values`, a promise's `areaCodes`) stay "a|b|c" text: RowChecker.text_list
    # splits them.
    reader = csv.DictReader(io.StringIO(text))
    columns = set(reader.fieldnames or ())
    kind = next((k for k, keys in CSV_KEY_COLUMNS.items() if keys <= columns), None)
    if kind is None:
        raise ReadError(f"{name}: 无法从表头识别数据类型（{', '.join(sorted(columns)) or '空'}）")
    rows = []
    for record in reader:
        if None in record:
            raise ReadError(f"{name} 第 {reader.line_num} 行: 列数多于表头")
        row = Row({k: v for k, v in record.items() if v not in (None, "")})
        row.line = reader.line_num
        rows.append(row)
    return {kind: rows}
