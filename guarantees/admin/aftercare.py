"""Admin for invoice requests and claims: created here through their services, then followed read-only."""
from django import forms
from django.contrib import admin

from guarantees.models import Claim, InvoiceRequest
from guarantees.services.guarantees import claim_create, claim_refusal
from guarantees.services.invoices import invoice_refusal, invoice_request
from procurement.kernel.statemachine import by_user


class InvoiceForm(forms.ModelForm):
    class Meta:
        model = InvoiceRequest
        fields = ("guarantee", "kind", "amount", "address", "phone", "bank", "account", "email", "mobile")
        help_texts = {"amount": "不填取保函费用"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].required = False

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("guarantee"):
            details = {name: cleaned.get(name) for name in InvoiceRequest.SPECIAL_FIELDS}
            refusal = invoice_refusal(cleaned["guarantee"], cleaned.get("kind"), cleaned.get("amount"), details)
            if refusal:
                raise forms.ValidationError(refusal)
        return cleaned


class CreateThenReadOnly(admin.ModelAdmin):
    """Rows are added through a service; afterwards every field is read-only."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.opts.fields] if obj else ()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InvoiceRequest)
class InvoiceRequestAdmin(CreateThenReadOnly):
    form = InvoiceForm
    list_display = ("created_at", "guarantee", "kind", "amount", "status", "invoice_code", "invoice_no")
    list_filter = ("status", "kind")
    search_fields = ("guarantee__applyno", "guarantee__baohanno", "invoice_no")
    list_select_related = ("guarantee",)
    raw_id_fields = ("guarantee",)

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = dict(form.cleaned_data)
        guarantee, kind, amount = data.pop("guarantee"), data.pop("kind"), data.pop("amount")
        obj.pk = invoice_request(guarantee, kind=kind, amount=amount, actor=by_user(request.user), **data).pk


class ClaimForm(forms.ModelForm):
    file_lines = forms.CharField(label="理赔文件地址", required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text="每行一个下载地址")

    class Meta:
        model = Claim
        fields = ("guarantee", "payee_account", "amount", "contact_name", "contact_phone", "reason")

    def clean_file_lines(self):
        urls = [line.strip() for line in self.cleaned_data["file_lines"].splitlines() if line.strip()]
        validator = forms.URLField(assume_scheme="https")
        return [validator.clean(url) for url in urls]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("guarantee"):
            refusal = claim_refusal(cleaned["guarantee"])
            if refusal:
                raise forms.ValidationError(refusal)
        return cleaned


@admin.register(Claim)
class ClaimAdmin(CreateThenReadOnly):
    form = ClaimForm
    list_display = ("created_at", "guarantee", "amount", "contact_name", "contact_phone", "answered_at")
    list_filter = ("answered_at",)
    search_fields = ("guarantee__applyno", "guarantee__baohanno", "contact_name")
    list_select_related = ("guarantee",)
    raw_id_fields = ("guarantee",)

    def get_fields(self, request, obj=None):
        if obj:
            return [f.name for f in self.opts.fields]
        return list(ClaimForm.Meta.fields) + ["file_lines"]

    def save_model(self, request, obj, form, change):
        if change:
            return
        data = dict(form.cleaned_data)
        guarantee, file_urls = data.pop("guarantee"), data.pop("file_lines")
        obj.pk = claim_create(guarantee, actor=by_user(request.user), file_urls=file_urls, **data).pk
