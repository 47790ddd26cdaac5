"""Schemathesis hooks of the fuzz fault test: the intake rules that depend on the caller's role.

The document cannot say that only agents set `customerId` (a consumer may give only their own)
and that an agent must: it describes one body for every role. The fuzzer's generated intake is
made to follow those rules for the role it runs as, so that every other rule is still fuzzed
and the answers are judged as for any schema-valid request.
"""

import os

import schemathesis

ROLE = os.environ.get("FUZZ_ROLE", "")
SUB = os.environ.get("FUZZ_SUB", "")


@schemathesis.hook
def before_call(context, case, kwargs):
    if case.operation.method.upper() != "POST" or case.operation.path != "/api/v1/complaints":
        return
    if not isinstance(case.body, dict):
        return
    if ROLE == "consumer" and "customerId" in case.body:
        case.body["customerId"] = SUB
    elif ROLE == "agent" and "customerId" not in case.body:
        case.body["customerId"] = "fuzz-customer"
