"""Robustness cases both standards share: malformed parameters answered with success:false and a desc (never a
5xx or an HTML page), replies on one line (000 §6.1 note), p95 latency per interface within the threshold."""
import math

from procurement.docking.cases import CaseFailed, expect
from procurement.docking.models import RUN_CALLS
from procurement.kernel import http


def malformed_answered(probes):
    """`probes`: (interface, parameters, what is wrong with them) sent as they are, with a good token."""
    def check(ctx):
        connector, problems = ctx.connector(), []
        for interface, params, wrong in probes:
            problem = _refusal_problem(ctx, connector, interface, params)
            if problem:
                problems.append(f"{interface}（{wrong}）：{problem}")
        expect(not problems, "参数有误的请求应返回 HTTP 200 与失败报文（success 为 false，desc 说明哪个参数、为什么）："
                             + "；".join(problems))
        return {"probes": len(probes)}
    return check


def _refusal_problem(ctx, connector, interface, params):
    try:
        reply = ctx.raw(connector, interface, params)
    except http.ServerError as error:
        return f"返回了服务器错误（{error}）"
    except http.ClientError as error:
        return f"返回了 HTTP 错误（{error}）"
    try:
        document = reply.json()
    except http.BadReply:
        return f"回复不是 JSON（开头：{reply.text[:40]!r}）"
    if not isinstance(document, dict) or document.get("success") not in (False, "false"):
        return "没有返回失败报文"
    if not str(document.get("desc") or "").strip():
        return "失败报文的 desc 为空"
    return ""


def one_line_replies(calls):
    """`calls`: (interface, parameters) whose replies must hold no line break (000 §6.1 note)."""
    def check(ctx):
        connector, broken = ctx.connector(), []
        for interface, params in calls:
            reply = ctx.raw(connector, interface, params(ctx) if callable(params) else params)
            if "\n" in reply.text or "\r" in reply.text:
                broken.append(interface)
        expect(not broken, f"{'、'.join(broken)} 的回复含换行符：回复应为一行 JSON（标准 §6.1 注）")
        return {"replies": len(calls)}
    return check


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)] if ordered else 0


def call_stats(attempts):
    """Per interface of the OutboundAttempt rows `attempts`: how many calls, and their 95th-percentile duration."""
    durations = {}
    for interface, duration in attempts.values_list("interface", "duration_ms"):
        durations.setdefault(interface, []).append(duration)
    return {name: {"calls": len(values), "p95_ms": p95(values)} for name, values in sorted(durations.items())}


def latency_within_threshold(ctx):
    """Every call of the run so far, per interface: the 95th percentile within DOCKING_P95_MS."""
    from procurement.models import OutboundAttempt

    measured = call_stats(OutboundAttempt.objects.filter(purpose_kind=RUN_CALLS, purpose_id=ctx.run.pk, outcome="ok"))
    expect(measured, "本次测试没有成功的调用可供统计响应时间")
    slow = {name: m["p95_ms"] for name, m in measured.items() if m["p95_ms"] > ctx.latency_threshold_ms}
    if slow:
        raise CaseFailed(f"响应时间的 95 分位超过 {ctx.latency_threshold_ms} 毫秒："
                         + "；".join(f"{name} {ms} 毫秒" for name, ms in sorted(slow.items())))
    return {"interfaces": measured}
