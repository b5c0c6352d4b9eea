"""Checking reference rows field by field; every problem is reported with its file and line."""
from procurement.models import code_validator

CODE_RE = code_validator.regex  # the rule the models' code fields validate with
_TRUE = {"1", "true", "yes", "y", "是", "必填"}
_FALSE = {"0", "false", "no", "n", "否", "选填", ""}


class RowChecker:
    """Reads typed values out of one Row, noting what is wrong instead of raising."""

    def __init__(self, row, source, errors):
        self.row = row
        self.where = f"{source} 第 {row.line} 行"
        self.errors = errors
        self.ok = True

    def problem(self, message):
        self.errors.append(f"{self.where}: {message}")
        self.ok = False

    def text(self, key, *, required=False, max_length=200, code=False):
        value = self.row.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(f"缺少 {key}")
            return ""
        if not isinstance(value, (str, int)):
            self.problem(f"{key} 应为文本")
            return ""
        value = str(value).strip()
        if len(value) > max_length:
            self.problem(f"{key} 超过 {max_length} 个字符")
        if code and not CODE_RE.match(value):
            self.problem(f"{key}「{value}」只能包含字母、数字、下划线、连字符和点")
        return value

    def integer(self, key, *, default=None, low=None, high=None):
        value = self.row.get(key, default)
        if value is None:
            self.problem(f"缺少 {key}")
            return default
        try:
            number = int(str(value).strip())
        except ValueError:
            self.problem(f"{key}「{value}」不是整数")
            return default
        if (low is not None and number < low) or (high is not None and number > high):
            self.problem(f"{key}「{number}」应在 {low}–{high} 之间")
        return number

    def boolean(self, key, *, default):
        value = self.row.get(key)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        self.problem(f"{key}「{value}」不是是/否")
        return default

    def choice(self, key, choices):
        """A TextChoices value, given by value or by its Chinese label."""
        value = self.text(key, required=True, max_length=50)
        if not value:
            return ""
        for member in choices:
            if value in (member.value, member.label):
                return member.value
        self.problem(f"{key}「{value}」应为 {'、'.join(c.value for c in choices)} 之一")
        return ""

    def text_list(self, key):
        value = self.row.get(key) or []
        if isinstance(value, str):
            value = [v.strip() for v in value.split("|") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(f"{key} 应为文本数组")
            return []
        return [v.strip() for v in value]
