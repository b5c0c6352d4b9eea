"""A stand-in for the 电子口岸 client's local websocket service, speaking the protocol the ukey signer uses.

On connect it greets with `{"_method": "open", …}`; to `cus-sec_SpcSignDataAsPEM` it answers
`{"_id", "_method", "_status": "00", "_args": {"Result", "Data": [signature, certNo], "Error"}}`,
signing inData with a software SM2 key in place of the card. It records every request and the most
requests it ever had in hand at once.
"""
import base64
import json
import logging
import threading
import time

from websockets.sync.server import serve

from procurement.kernel import crypto

METHOD = "cus-sec_SpcSignDataAsPEM"


class FakeEportClient:
    def __init__(self, cert_no="UKEY-CERT-0001", pin="88888888", delay=0.0, stray_reply=False):
        self.private_key, self.public_key = crypto.sm2_generate_keypair()
        self.cert_no = cert_no
        self.pin = pin
        self.delay = delay
        self.stray_reply = stray_reply
        self.requests = []
        self.in_hand = 0
        self.most_in_hand = 0
        self.lock = threading.Lock()
        self.server = None

    @property
    def url(self):
        return f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}"

    def start(self):
        # The stand-in's own frame log would show the PIN it receives; it is not ours to check.
        quiet = logging.getLogger("tests.eport_client")
        quiet.setLevel(logging.WARNING)
        self.server = serve(self.handle, "127.0.0.1", 0, logger=quiet)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()

    def handle(self, websocket):
        websocket.send(json.dumps({"_method": "open", "_status": "00",
                                   "_args": {"Result": True, "Data": ["已连接"], "Error": []}}))
        for message in websocket:
            request = json.loads(message)
            with self.lock:
                self.requests.append(request)
                self.in_hand += 1
                self.most_in_hand = max(self.most_in_hand, self.in_hand)
            try:
                time.sleep(self.delay)
                if self.stray_reply:
                    websocket.send(json.dumps(self._reply({**request, "_id": -1}, "stray", "STRAY")))
                websocket.send(json.dumps(self._answer(request), ensure_ascii=False))
            finally:
                with self.lock:
                    self.in_hand -= 1

    def _answer(self, request):
        args = request.get("args") or {}
        if request.get("_method") != METHOD:
            return {"_id": request.get("_id"), "_method": request.get("_method"), "_status": "00",
                    "_args": {"Result": False, "Data": [], "Error": ["未知方法"]}}
        if args.get("passwd") != self.pin:
            return {"_id": request["_id"], "_method": METHOD, "_status": "00",
                    "_args": {"Result": False, "Data": [], "Error": ["卡口令错误，剩余 4 次", "Err:Custom50013"]}}
        signature = crypto.sm2_sign(args["inData"].encode("utf-8"), self.private_key, self.public_key)
        return self._reply(request, base64.b64encode(signature).decode("ascii"), self.cert_no)

    @staticmethod
    def _reply(request, signature, cert_no):
        return {"_id": request["_id"], "_method": METHOD, "_status": "00",
                "_args": {"Result": True, "Data": [signature, cert_no], "Error": []}}
