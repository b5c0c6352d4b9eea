"""The supplier form of the admin, built from each protocol's declared parameters.

Every protocol's parameters get a fieldset of their own (`parameter_fieldsets`); a small script shows
the one of the protocol chosen. Only the chosen protocol's parameters are checked and stored. Secrets
are write-only: typed in, shown back only as whether they are set.
"""
from django import forms

from procurement.kernel.fields import mask_secret
from procurement.models import Supplier
from procurement.services.suppliers import ParametersInvalid, supplier_set_parameters
from procurement.suppliers.base import Capability
from procurement.suppliers.registry import PROTOCOLS, connector_class

KEEP = "留空则保持不变"


def field_name(protocol, param):
    return f"param__{protocol}__{param.name}"


def parameter_field(param):
    if param.secret:
        return forms.CharField(label=param.label, required=False, help_text=secret_help(param, ""),
                               widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}))
    return forms.CharField(label=param.label, required=False, help_text=param.help)


def secret_help(param, stored):
    return f"当前：{mask_secret(stored)}；{KEEP}" + (f"。{param.help}" if param.help else "")


def show_stored(field, param, stored):
    """What a parameter's field shows of its stored value: the value itself, or for a secret only that one is set."""
    if param.secret:
        field.help_text = secret_help(param, stored)
    else:
        field.initial = stored


def _declared():
    """(protocol, param, form field name) of every protocol's parameters."""
    return [(protocol, param, field_name(protocol, param))
            for protocol in PROTOCOLS for param in connector_class(protocol).parameters]


def parameter_fieldsets():
    """One admin fieldset per protocol, holding its declared parameters."""
    return [
        (f"对接参数：{label}", {"fields": [field_name(protocol, p) for p in connector_class(protocol).parameters],
                              "classes": ["protocol-parameters", f"protocol-{protocol}"]})
        for protocol, (label, _path) in PROTOCOLS.items()
    ]


class SupplierForm(forms.ModelForm):
    base_url = forms.URLField(label="电商平台接口地址", max_length=300, assume_scheme="https")
    interfaces_off = forms.MultipleChoiceField(
        label="未提供的可选接口", required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(c.value, c.label) for c in Capability],
        help_text="勾选该电商没有实现的可选接口：同步与后台不会调用它们")

    class Meta:
        model = Supplier
        exclude = ("parameters", "secret_parameters", "docking_status", "last_polled_at")

    class Media:
        js = ["procurement/supplier_form.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = {**self.instance.parameters, **self.instance.secret_parameters}
        own = self.instance.protocol if self.instance.pk else None
        for protocol, param, name in _declared():
            show_stored(self.fields[name], param, stored.get(param.name, "") if protocol == own else "")

    def parameter_values(self):
        protocol = self.cleaned_data.get("protocol")
        return {p.name: self.cleaned_data.get(field_name(protocol, p), "") for p in connector_class(protocol).parameters}

    def clean(self):
        cleaned = super().clean()
        protocol = cleaned.get("protocol")
        if protocol and not self.errors:
            candidate = Supplier(protocol=protocol, parameters=dict(self.instance.parameters),
                                 secret_parameters=dict(self.instance.secret_parameters))
            try:
                supplier_set_parameters(candidate, self.parameter_values())
            except ParametersInvalid as invalid:
                for name, problem in invalid.problems.items():
                    self.add_error(field_name(protocol, _param(protocol, name)), problem)
        return cleaned

    def save(self, commit=True):
        supplier = super().save(commit=False)
        supplier_set_parameters(supplier, self.parameter_values())
        if commit:
            supplier.save()
            self.save_m2m()
        return supplier


def _param(protocol, name):
    return next(p for p in connector_class(protocol).parameters if p.name == name)


# Declared on the class (not per form), so the admin's fieldsets may name them.
for _protocol, _param_, _name in _declared():
    SupplierForm.base_fields[_name] = SupplierForm.declared_fields[_name] = parameter_field(_param_)
