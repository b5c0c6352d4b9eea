"""The forms of the supplier docking pages and of the report check page.

The test-environment form is built from the protocol's declared parameters with the admin supplier form's own
field builder (procurement/suppliers/forms.py): secrets are write-only there and here.
"""
from django import forms
from django.core.exceptions import ValidationError

from procurement.docking.services import endpoint_set
from procurement.services.suppliers import ParametersInvalid
from procurement.suppliers.forms import field_name, parameter_field, show_stored
from procurement.suppliers.registry import connector_class

# An uploaded report larger than this is not one of ours (a report of a hundred cases is well under 200 KB).
VERIFY_MAX_BYTES = 2 * 1024 * 1024


class SignInForm(forms.Form):
    username = forms.CharField(label="接口账号", max_length=100)
    password = forms.CharField(label="密码", widget=forms.PasswordInput(render_value=False), max_length=200)


class TestEnvironmentForm(forms.Form):
    base_url = forms.URLField(label="测试环境接口地址", max_length=300, assume_scheme="https",
                              help_text="电商测试系统的接口根地址，如 https://test.example.com/api/")

    def __init__(self, supplier, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.supplier = supplier
        self.params = connector_class(supplier.protocol).parameters
        stored = getattr(supplier, "test_endpoint", None)
        values = {**stored.parameters, **stored.secret_parameters} if stored else {}
        if stored:
            self.fields["base_url"].initial = stored.base_url
        for param in self.params:
            field = parameter_field(param)
            show_stored(field, param, values.get(param.name, ""))
            self.fields[field_name(supplier.protocol, param)] = field

    def parameter_values(self):
        return {p.name: self.cleaned_data.get(field_name(self.supplier.protocol, p), "") for p in self.params}

    def save(self):
        """Store the test environment; None, with the problems on their fields, when it is refused."""
        try:
            return endpoint_set(self.supplier, self.cleaned_data["base_url"], self.parameter_values())
        except ParametersInvalid as invalid:  # the base URL's problems too (endpoint_set checks it)
            for name, problem in invalid.problems.items():
                self.add_error(self._field_of(name), problem)
        return None

    def _field_of(self, name):
        """The form field a problem belongs to (the base URL, a parameter), or None: the form's own."""
        if name in self.fields:
            return name
        param = next((p for p in self.params if p.name == name), None)
        return field_name(self.supplier.protocol, param) if param else None


class VerifyForm(forms.Form):
    digest = forms.CharField(label="报告校验码", required=False, max_length=200,
                             widget=forms.TextInput(attrs={"size": 70, "autocomplete": "off", "spellcheck": "false"}))
    report = forms.FileField(label="或上传 PDF 报告", required=False,
                             widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}))

    def clean_report(self):
        upload = self.cleaned_data.get("report")
        if upload and upload.size > VERIFY_MAX_BYTES:
            raise ValidationError(f"文件超过 {VERIFY_MAX_BYTES // 1024 // 1024} MB：这不是电子卖场出具的报告")
        return upload

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not cleaned.get("digest") and not cleaned.get("report"):
            raise ValidationError("请粘贴报告校验码，或上传 PDF 报告")
        return cleaned
