"""Status changes as data: a map of allowed transitions, one service that applies them, one history row each.

The business states (supplier docking, SKU listing, guarantees and their invoices, bid sections) change
only through `transition()` or `transition_many()`. Outbound deliveries (procurement/delivery.py) are the
exception: their send status moves by conditional updates, and their history is the OutboundAttempt row
each send leaves.
"""
from collections import defaultdict
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django.db import models, transaction


class IllegalTransition(Exception):
    """The change asked for is not allowed from the current state (or another worker changed it first)."""


@dataclass(frozen=True)
class Actor:
    """Who or what caused a change: a staff user, a job, or an inbound message."""

    user: object = None
    source: str = ""

    def describe(self):
        if self.user is not None:
            return f"{self.user}"
        return self.source or "系统"


def by_user(user):
    return Actor(user=user)


def by_source(source):
    return Actor(source=source)


class StateHistory(models.Model):
    """Base of the history tables: one row per transition (from, to, who, why, when)."""

    from_state = models.CharField("原状态", max_length=32)
    to_state = models.CharField("新状态", max_length=32)
    actor = models.ForeignKey(
        "auth.User", verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    source = models.CharField("来源", max_length=200, blank=True, help_text="任务、消息或接口")
    reason = models.TextField("原因", blank=True)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.from_state} → {self.to_state}"


def transition(instance, to_state, *, allowed, history, actor, reason="", field="status", extra=None, **link):
    """Move `instance` from its current state to `to_state` if `allowed` permits it.

    The update is conditional on the state we read, so two workers can never both win; the loser
    gets IllegalTransition. `extra` sets other fields in the same update, `link` names the history
    row's foreign key to the instance (e.g. supplier=instance).
    """
    from_state = getattr(instance, field)
    _check_allowed(instance, field, from_state, to_state, allowed)
    changes = {field: to_state, **(extra or {})}
    with transaction.atomic():
        updated = type(instance).objects.filter(pk=instance.pk, **{field: from_state}).update(**changes)
        if not updated:
            raise IllegalTransition("状态已被其他操作修改，请刷新后重试")
        history.objects.create(
            from_state=from_state, to_state=to_state, actor=actor.user, source=actor.source[:200],
            reason=reason, **link,
        )
    for name, value in changes.items():
        setattr(instance, name, value)
    return instance


@dataclass
class Move:
    """One transition of a batch: `instance` to `to_state`, with its own reason and history links."""

    instance: object
    to_state: str
    reason: str = ""
    link: dict = dataclass_field(default_factory=dict)


def transition_many(moves, *, allowed, history, actor, field="status"):
    """`transition()` for a batch (a sync page moves hundreds of SKUs): checked the same way.

    One conditional UPDATE per (from, to) pair and one bulk INSERT of history rows, in one
    transaction; if any instance is no longer in the state we read, nothing is changed.
    """
    groups = defaultdict(list)
    for move in moves:
        from_state = getattr(move.instance, field)
        _check_allowed(move.instance, field, from_state, move.to_state, allowed, naming=True)
        groups[(type(move.instance), from_state, move.to_state)].append(move.instance.pk)
    with transaction.atomic():
        for (model, from_state, to_state), pks in groups.items():
            if model.objects.filter(pk__in=pks, **{field: from_state}).update(**{field: to_state}) != len(pks):
                raise IllegalTransition("状态已被其他操作修改，请刷新后重试")
        history.objects.bulk_create([
            history(from_state=getattr(m.instance, field), to_state=m.to_state, actor=actor.user,
                    source=actor.source[:200], reason=m.reason, **m.link)
            for m in moves
        ])
    for move in moves:
        setattr(move.instance, field, move.to_state)


def _check_allowed(instance, field, from_state, to_state, allowed, naming=False):
    """IllegalTransition unless `allowed` permits from_state → to_state; `naming` puts the instance first."""
    if to_state not in allowed.get(from_state, ()):
        who = f"{instance}：" if naming else ""
        raise IllegalTransition(
            f"{who}不允许从「{_label(instance, field, from_state)}」变为「{_label(instance, field, to_state)}」"
        )


def _label(instance, field, value):
    choices = dict(instance._meta.get_field(field).choices or ())
    return choices.get(value, value)
