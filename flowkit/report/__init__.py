"""The charted report: eight flow-log reports plus three hunting lists, in one self-contained HTML file.

The eight reports are the accept/reject ratio, rejected traffic by protocol, by source and by
connection, and bytes and packets over time and per network interface; the hunting lists are top
talkers, port-scan suspects and SSH/RDP traffic. Investigations with transit gateways get their section
too (traffic between VPCs, busiest attachments, bytes per hour, lost packets). :func:`build_report` runs
their saved queries through any ``run(query_name, params)`` callable (:func:`local_runner` for the
local engine, :func:`athena_runner` for Athena), :func:`render_html` turns the results into one page
(inline SVG charts, inline CSS, no scripts, nothing fetched), :func:`write_pngs` screenshots each
chart with headless Chromium.

Modules: ``specs`` (which reports, headings), ``build`` (running them, the page's data), ``cells`` (how
one value is shown), ``charts`` (SVG drawing), ``html`` (the page), ``png`` (PNG export), ``runners``
(local engine and Athena).
"""

from flowkit.report.build import ReportData, ReportError, ResultLike, Runner, Section, Summary, build_report
from flowkit.report.cells import Cell, cell, protocol_name
from flowkit.report.html import chart_svg, render_html, window_text
from flowkit.report.png import CHROMIUM, CHROMIUM_VARIABLE, chromium_command, find_chromium, write_pngs
from flowkit.report.runners import athena_runner, athena_source, athena_sql, local_runner, local_source
from flowkit.report.specs import REPORTS, TRANSIT_REPORTS, ReportSpec, heading

__all__ = [
    "CHROMIUM",
    "CHROMIUM_VARIABLE",
    "REPORTS",
    "TRANSIT_REPORTS",
    "Cell",
    "ReportData",
    "ReportError",
    "ReportSpec",
    "ResultLike",
    "Runner",
    "Section",
    "Summary",
    "athena_runner",
    "athena_source",
    "athena_sql",
    "build_report",
    "cell",
    "chart_svg",
    "chromium_command",
    "find_chromium",
    "heading",
    "local_runner",
    "local_source",
    "protocol_name",
    "render_html",
    "window_text",
    "write_pngs",
]
