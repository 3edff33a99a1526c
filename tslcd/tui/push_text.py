"""How push results read on screen: grouped dry-run diffs, one host's rendering, a device's diff."""

from __future__ import annotations

from rich.text import Text

from tslcd.push.changelog import HostChange
from tslcd.push.grouping import ChangeGroup
from tslcd.push.render import Rendered
from tslcd.services.change_impact import ChangeImpact
from tslcd.textsafe import neutralise
from tslcd.tui.screens.diff import colour_diff, impact_text

HOSTS_SHOWN = 8  # a group lists this many host names, then a count


def groups_text(groups: list[ChangeGroup], unchanged: list[str], failures: dict[str, str],
                skipped: list[Rendered]) -> Text:
    """Each distinct change once, with the hosts that get it: what the operator reviews."""
    out = Text()
    for group in groups:
        names = ", ".join(group.hosts[:HOSTS_SHOWN])
        more = f" and {len(group.hosts) - HOSTS_SHOWN} more" if len(group.hosts) > HOSTS_SHOWN else ""
        out.append(f"{group.summary}:\n", style="bold")
        out.append(f"  {names}{more}\n", style="dim")
        for line in group.commands:
            out.append(f"  + {line}\n", style="green")
        out.append("\n")
    if unchanged:
        out.append(f"{len(unchanged)} device(s) already have this change\n")
    if skipped:
        out.append(f"{len(skipped)} device(s) not applicable (platform or applies-to)\n", style="dim")
    for host, message in failures.items():
        out.append(neutralise(f"FAILED {host}: {message}\n"), style="bold red")
    return out or Text("nothing to change")


def forbidden_text(impact: ChangeImpact, host: str | None = None) -> Text:
    """The flows the zone policy forbids (one host's, or every host's), in bold red."""
    out = Text()
    for flow in impact.flows:
        if host is None or flow.host == host:
            out.append(neutralise(f"FORBIDDEN {flow.line()}\n"), style="bold red")
    return out


def impact_overview(impact: ChangeImpact, hosts: list[str]) -> Text:
    """Every changed host's traffic impact, then the forbidden flows: shown under the grouped diff."""
    out = Text()
    for host in hosts:
        lines = impact.lines(host)
        if lines:
            out.append(f"{host}: ", style="bold")
            out.append_text(impact_text(lines))
    forbidden = forbidden_text(impact)
    if forbidden:
        out.append("\n")
        out.append_text(forbidden)
    return out


def rendered_text(rendered: Rendered) -> Text:
    """One host's rendered template (or why it does not apply)."""
    if rendered.skipped:
        return Text(f"{rendered.host}: not applicable ({rendered.skipped})", style="dim")
    head = Text(f"# {rendered.host} ({rendered.platform}, {rendered.template})\n", style="bold")
    return head + Text(neutralise(rendered.text))


def host_change_text(change: HostChange) -> Text:
    """What a push, rollback or recovery did to one device: its state and how it ended, the device's
    diff (or the planned commands), what was sent and what the device answered."""
    head = Text(f"{change.host}: {change.status}", style="bold")
    if change.error_class or change.message:
        head.append(neutralise(f"\n{change.error_class or ''}: {change.message}"),
                    style="red" if change.error_class else "")
    body = colour_diff(change.device_diff) if change.device_diff else Text(neutralise(change.commands))
    parts = [head, Text("\n\n"), body]
    if change.sent and change.sent != change.commands:
        parts += [Text("\n\nsent:\n", style="bold"), Text(neutralise(change.sent))]
    if change.answered and change.answered != change.device_diff:
        parts += [Text("\n\nthe device answered:\n", style="bold"),
                  Text(neutralise(change.answered), style="dim")]
    return Text("").join(parts)
