"""Fault switches both sandbox suppliers share, each breaking one docking test case (procurement/docking):

  slow_interfaces=P@MS,…   requests to a path ending in P (e.g. images@300) take MS milliseconds longer
  pretty_json=1            replies are indented JSON, with line breaks (000 §6.1 asks for one line)
  html_errors=1            a request missing a parameter is answered HTTP 500 with an HTML page
"""
import json
import time

from procurement.kernel.sandbox import SandboxResponse
from procurement.suppliers.sandbox_order_records import switch_list, switch_on

HTML_ERROR = SandboxResponse(500, b"<html><body><h1>500 Internal Server Error</h1></body></html>", "text/html")


def pause_for(faults, path):
    """Sleep as slow_interfaces says for `path`."""
    for entry in switch_list(faults, "slow_interfaces"):
        suffix, _, ms = entry.partition("@")
        if path.endswith(suffix) and ms.isdigit():
            time.sleep(int(ms) / 1000)
            return


def json_reply(faults, document):
    """The reply of `document`: one line, or indented with pretty_json on."""
    if switch_on(faults, "pretty_json"):
        return SandboxResponse(200, json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8"))
    return SandboxResponse.json(document)
