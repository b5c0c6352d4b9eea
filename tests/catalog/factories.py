"""Factories for the standard category tree."""
import factory

from catalog.models import Category, CategoryParam


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"A{n:04d}")
    interface_code = factory.Sequence(lambda n: f"IFACE_{n}")
    name = factory.Sequence(lambda n: f"品目{n}")
    parent = None
    level = factory.LazyAttribute(lambda o: o.parent.level + 1 if o.parent else 1)
    is_leaf = True

    @factory.post_generation
    def mark_parent(self, create, extracted, **kwargs):
        if create and self.parent_id:
            Category.objects.filter(pk=self.parent_id).update(is_leaf=False)


class CategoryParamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CategoryParam

    category = factory.SubFactory(CategoryFactory)
    attribute_id = factory.Sequence(lambda n: f"{1000 + n}")
    name = factory.Sequence(lambda n: f"参数{n}")
    required = True
    value_type = CategoryParam.ValueType.ENUM
    allowed_values = ["是", "否"]
    order = factory.Sequence(lambda n: n)
