"""How push results read on screen: grouped dry-run diffs, one host's rendering, a device's diff."""

from __future__ import annotations

from rich.text import Text

from tslcd.push.changelog import HostChange
from tslcd.push.grouping import ChangeGroup
from tslcd.push.render import Rendered
from tslcd.textsafe import neutralise
from tslcd.tui.screens.diff import colour_diff

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


def rendered_text(rendered: Rendered) -> Text:
    """One host's rendered template (or why it does not apply)."""
    if rendered.skipped:
        return Text(f"{rendered.host}: not applicable ({rendered.skipped})", style="dim")
    head = Text(f"# {rendered.host} ({rendered.platform}, {rendered.template})\n", style="bold")
    return head + Text(neutralise(rendered.text))


def host_change_text(change: HostChange) -> Text:
    """What a push or rollback did to one device: its result, then the device's diff."""
    head = Text(f"{change.host}: {change.status}", style="bold")
    if change.error_class or change.message:
        head.append(neutralise(f"\n{change.error_class or ''}: {change.message}"), style="red")
    body = colour_diff(change.device_diff) if change.device_diff else Text(neutralise(change.commands))
    return head + Text("\n\n") + body
