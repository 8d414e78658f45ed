"""A checked batch as JUnit XML, the test-report format that CI services show as passed/failed tests.

One `<testsuite>` per policy (in order of first use), one `<testcase>` per record (name: the
record's source; classname: the policy id). Each violation at or above `fail_on` is a `<failure>`
(message: rule id and message; type: severity; text: message, citation and place); violations
below the threshold are listed in the testcase's `<system-out>`. A record that could not be judged
is a testcase of the suite `input-error` with one `<error>` per input error. The counts on
`<testsuites>` and each `<testsuite>` are the numbers of testcases and of failure/error elements.
Built with xml.etree.ElementTree, which escapes every text and attribute.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..result import SEVERITY_RANK
from .findings import INPUT_ERROR, Finding, findings

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

    from ..batch import Outcome


def junit(outcomes: list[Outcome], fail_on: str) -> str:
    """The JUnit XML document of a batch, with an XML declaration."""
    import xml.etree.ElementTree as ET  # only when this report is written (saves a cold start ~2 ms)
    root = ET.Element("testsuites", name="kinerja check")
    suites: dict[str, ET.Element] = {}
    for o in outcomes:
        suite_name = INPUT_ERROR if o.error is not None else o.result.policy
        if suite_name not in suites:
            suites[suite_name] = ET.SubElement(root, "testsuite", name=suite_name)
        _testcase(suites[suite_name], o, fail_on)
    for suite in suites.values():
        _count(suite, suite.findall("testcase"))
    _count(root, root.findall("testsuite/testcase"))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _testcase(suite: ET.Element, outcome: Outcome, fail_on: str) -> None:
    import xml.etree.ElementTree as ET
    case = ET.SubElement(suite, "testcase", name=outcome.source, classname=suite.get("name"))
    below = []
    for f in findings(outcome):
        if f.rule == INPUT_ERROR:
            element = ET.SubElement(case, "error", message=f.message, type=INPUT_ERROR)
        elif SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on]:
            element = ET.SubElement(case, "failure", message=f"{f.rule}: {f.message}", type=f.severity)
        else:
            below.append(f"{f.severity} [{f.rule}] {_place(f)}: {f.message}")
            continue
        element.text = _details(f)
    if below:
        ET.SubElement(case, "system-out").text = "\n".join(below)


def _details(f: Finding) -> str:
    lines = [f.message]
    if f.cite:
        lines.append(f.cite + (f" ({f.status})" if f.status else ""))
    lines.append(f"at {_place(f)}" + (f" ({f.data_path})" if f.data_path else ""))
    return "\n".join(lines)


def _place(f: Finding) -> str:
    return ":".join(str(p) for p in (f.file, f.line, f.column) if p is not None)


def _count(element: ET.Element, cases: list[ET.Element]) -> None:
    element.set("tests", str(len(cases)))
    element.set("failures", str(sum(len(c.findall("failure")) for c in cases)))
    element.set("errors", str(sum(len(c.findall("error")) for c in cases)))
    element.set("skipped", "0")
