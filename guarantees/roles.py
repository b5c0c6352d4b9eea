"""Staff roles of the guarantee app."""
_MANAGED = ("guarantor", "section", "guarantee", "invoicerequest", "claim")

ROLES = {
    "保函管理": [
        *(f"guarantees.{verb}_{model}" for model in _MANAGED for verb in ("add", "change", "view")),
        "guarantees.review_guarantee", "guarantees.download_guarantee_file",
        "guarantees.view_guaranteeevent", "guarantees.view_sectionstatuschange", "guarantees.view_inboundnotice",
        "guarantees.view_outboundmessage", "guarantees.change_outboundmessage",
        "guarantees.view_checkrun", "guarantees.change_checkrun", "guarantees.add_checkrun",
        "guarantees.view_checkmismatch",
        "procurement.view_outboundattempt", "procurement.view_guarantor_calls",
    ],
}
