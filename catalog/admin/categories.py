"""Admin for the standard category tree and its parameters."""
from django import forms
from django.contrib import admin

from catalog.models import Category, CategoryParam
from catalog.services import category_bump_versions, category_tree_refresh, category_would_cycle


class CategoryParamInline(admin.TabularInline):
    model = CategoryParam
    extra = 0
    fields = ("attribute_id", "name", "required", "value_type", "allowed_values", "unit", "order")


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ("code", "interface_code", "name", "parent", "is_active")

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent is not None and category_would_cycle(self.instance, parent):
            raise forms.ValidationError("上级品目不能是自身或其下级")
        return parent


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    form = CategoryForm
    list_display = ("code", "tree_name", "interface_code", "level", "is_leaf", "version", "is_active")
    list_filter = ("level", "is_leaf", "is_active")
    search_fields = ("code", "name", "interface_code")
    autocomplete_fields = ("parent",)
    readonly_fields = ("level", "is_leaf", "version", "updated_at")
    inlines = [CategoryParamInline]
    ordering = ("code",)

    @admin.display(description="品目名称", ordering="code")
    def tree_name(self, obj):
        # Codes are hierarchical (A02 → A0201 → …), so ordering by code lists the tree depth-first.
        return "\u3000" * (obj.level - 1) + obj.name

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "parent" in form.changed_data or not change:
            category_tree_refresh()
        if change and (form.has_changed() or any(f.has_changed() for f in formsets)):
            category_bump_versions([form.instance.pk])
