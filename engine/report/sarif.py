"""A checked batch as SARIF 2.1.0, the static-analysis format that code-scanning services read.

One run of the tool "kinerja": `rules` holds one reporting descriptor per rule that has a result
(its title, citation and provenance status), `results` one result per violation and per input error
(a record that could not be read, validated or matched to a policy: the rule `kinerja/input-error`),
located at the data file (relative to the current folder) and, where known, its line and column.
Rule ids are qualified by their policy ("kmk_300_2022/pk-iku-count"), as one id may name different
rules in different policies. Every violation is a result, whatever `fail_on`; the threshold is
recorded in the run's properties. Validated against the OASIS schema in tests/report/test_ci_formats.py.
"""
from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote

from ..version import tool_version
from .findings import Finding, findings

if TYPE_CHECKING:
    from ..batch import Outcome

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def sarif(outcomes: list[Outcome], fail_on: str) -> str:
    """The SARIF log of a batch, as indented JSON text."""
    found = [f for o in outcomes for f in findings(o)]
    rules: dict[str, int] = {}
    descriptors = []
    for f in found:
        if f.rule_key not in rules:
            rules[f.rule_key] = len(descriptors)
            descriptors.append(_descriptor(f))
    run = {"tool": {"driver": {"name": "kinerja", "version": tool_version(), "rules": descriptors}},
           "results": [_result(f, rules[f.rule_key]) for f in found],
           "properties": {"failOn": fail_on}}
    log = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2)


def _descriptor(f: Finding) -> dict:
    properties = {"policy": f.policy, "rule": f.rule, "cite": f.cite, "status": f.status}
    descriptor = {"id": f.rule_key, "name": f.title, "shortDescription": {"text": f.title},
                  "defaultConfiguration": {"level": LEVELS[f.severity]},
                  "properties": {k: v for k, v in properties.items() if v is not None}}
    if f.cite:
        status = f" ({f.status})" if f.status else ""
        descriptor["fullDescription"] = {"text": f"{f.title}. {f.cite}{status}"}
        descriptor["help"] = {"text": f"Citation: {f.cite}{status}"}
    return descriptor


def _result(f: Finding, rule_index: int) -> dict:
    physical: dict = {"artifactLocation": {"uri": artifact_uri(f.file)}}
    if f.line:
        physical["region"] = {"startLine": f.line} | ({"startColumn": f.column} if f.column else {})
    properties = {"record": f.record, "dataPath": f.data_path}
    return {"ruleId": f.rule_key, "ruleIndex": rule_index, "level": LEVELS[f.severity],
            "message": {"text": f.message}, "locations": [{"physicalLocation": physical}],
            "properties": {k: v for k, v in properties.items() if v is not None}}


def artifact_uri(file: str) -> str:
    """A relative path as a relative URI reference; an absolute one as a file: URI."""
    path = PurePosixPath(file)
    if path.is_absolute():
        return path.as_uri()
    return quote(file, safe="/")
