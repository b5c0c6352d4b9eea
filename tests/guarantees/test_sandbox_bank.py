"""The sandbox bank itself: a test's database is emptied only once no notice of the bank can still write to it."""
import threading

from guarantees.sandbox import SandboxGuarantor
from procurement.kernel.sandbox import Sandbox, SandboxResponse


class SlowPlatform(Sandbox):
    """Our notice interface, taking its time to answer."""

    def __init__(self, seconds):
        super().__init__()
        self.arrived, self.seconds = threading.Event(), seconds
        self.routes = {"/guarantee/baohannotice": self.notice}

    def notice(self, request):
        self.arrived.set()
        threading.Event().wait(self.seconds)  # the platform still working on it
        return SandboxResponse.json({"code": 1, "message": "成功"})


def test_stopping_the_notices_waits_for_the_one_on_its_way(sandbox_server):
    platform = SlowPlatform(seconds=0.5)
    running = sandbox_server(platform)
    bank = SandboxGuarantor("sandbox-bank", "sandbox-appsecret-0123456789", f"{running.url}/guarantee")
    bank._later("baohannotice", lambda record: {"applyno": "A1"}, {})  # what a baohanapply schedules
    assert platform.arrived.wait(5)

    bank.notices_stop()

    assert bank.sent == [("baohannotice", {"code": 1, "message": "成功"})]
