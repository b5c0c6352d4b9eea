"""Token cases both token-based standards share: obtained, a wrong password refused, a stale token answered
token_expired, one token good for many calls."""
import dataclasses
import secrets

from procurement.docking.cases import CaseFailed, expect
from procurement.kernel import http

REUSE_CALLS = 5


def token_obtained(ctx):
    connector = ctx.connector(own_token=True)
    token, expires_at = connector.obtain_token()
    reply = _latest_token_reply(ctx)
    expect("expires_at" in reply or "expires_in" in reply,
           "access_token 的回复中既没有 expires_at 也没有 expires_in：合同要求至少给出一个（令牌何时失效）")
    return {"token_length": len(token)}


def _latest_token_reply(ctx):
    from procurement.models import OutboundAttempt

    asked = http.current_purpose()  # this case's own call: other cases obtain tokens meanwhile
    row = (OutboundAttempt.objects.filter(purpose_kind=asked.kind, purpose_id=asked.pk, purpose_case=asked.case,
                                          interface="access_token").order_by("-id").first())
    return row.reply_excerpt if row else ""


def wrong_password_refused(code):
    def check(ctx):
        wrong = dataclasses.replace(ctx.endpoint, values={**ctx.endpoint.values,
                                                          "password": f"{ctx.endpoint['password']}-wrong"})
        connector = ctx.connector(own_token=True, endpoint=wrong)
        try:
            connector.obtain_token()
        except http.Refused as refused:
            expect(str(refused).replace("对方拒绝：", "").replace(refused.code, "").strip(),
                   "错误密码被拒绝了，但回复的 desc 为空：desc 应说明原因")
            expect(refused.code == code, f"错误密码被拒绝了，但 code 为「{refused.code}」，合同约定为 {code}")
            return {}
        raise CaseFailed("用错误的密码调用 access_token 却取得了令牌：密码错误时应返回失败报文"
                         f"（success 为 false，code {code}，desc 说明原因）")
    return check


def stale_token_expired(interface, params):
    """A token the platform never issued (as one it revoked or let expire): refused with token_expired."""
    def check(ctx):
        connector = ctx.connector()
        stale = secrets.token_hex(16)
        reply = ctx.raw(connector, interface, {**params(ctx), "token": stale}, token=False)
        document = _json(reply, interface)
        expect(document.get("success") in (False, "false"),
               f"{interface} 收到一个无效（已过期或被吊销）的令牌却返回了成功：应返回失败报文")
        expect(connector.token_expired(document),
               f"{interface} 拒绝了无效令牌，但 desc 中没有 token_expired（回复 code「{document.get('code', '')}」、"
               f"desc「{document.get('desc', '')}」）：卖场据此重新取令牌，合同要求 desc 含英文 token_expired")
        return {}
    return check


def token_reused(call):
    """`call(connector)` REUSE_CALLS times with one connector: one access_token call in all."""
    def check(ctx):
        connector = ctx.connector(own_token=True)
        for _ in range(REUSE_CALLS):
            call(ctx, connector)
        obtained = connector.calls["access_token"]
        expect(obtained == 1, f"连续 {REUSE_CALLS} 次调用用了 {obtained} 个令牌：令牌在有效期内应可反复使用，"
                              "不应每次调用后失效")
        return {"tokens": obtained, "calls": REUSE_CALLS}
    return check


def _json(reply, interface):
    try:
        return reply.json()
    except http.BadReply:
        raise CaseFailed(f"{interface} 的回复不是 JSON") from None
