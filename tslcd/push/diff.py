"""What a template changes on one device: hier_config remediation with merge semantics, and restore.

A template is a partial config, not a whole one, so the target is the running config with the
template merged in (hier_config's `future`), except where the platform registry says a template
owns a section (an IOS ACL), the entries of a table (the FortiOS policy table) or a family of
top-level lines (NTP servers, ASA ssh access lines, an ASA access list, kept in the template's
order): there, whatever the template omits is removed. The plan turns running into
that target; restoring a saved config (rollback) is the same machinery on whole configs, so
"running + plan == target" and "after + restore == before" are tested offline on stored configs
typed into the lab's device models (tests/push/test_diff.py).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from hier_config import HConfig, HConfigChild, get_hconfig

from tslcd.platforms import get_platform
from tslcd.push.hconfig import QUOTED_NEWLINE, clean, device_words, driver, parse, render_lines


def target(platform_name: str, running: HConfig, change: HConfig) -> HConfig:
    """The running config with the change merged in, owned sections and line families replaced."""
    platform = get_platform(platform_name)
    future = running.future(change)
    owned = [re.compile(rx) for rx in platform.push.owned_lines]
    in_change = {child.text for child in change.children}
    negation = running.driver.negation_prefix
    claimed = {(i, m.groups()) for child in change.children
               for i, rx in enumerate(owned) if (m := rx.match(device_words(child.text, platform, negation)))}
    for child in list(future.children):
        if child.text in in_change:
            continue
        for i, rx in enumerate(owned):
            m = rx.match(device_words(child.text, platform, negation))
            if m and (i, m.groups()) in claimed:
                child.delete()
                break
    if platform.push.absent_is_negated:
        for child in list(future.children):
            if child.text.startswith(negation) and running.get_child(equals=child.text) is None:
                child.delete()
    tables = [re.compile(rx) for rx in platform.push.owned_entries]
    for child in change.children:
        existing = future.get_child(equals=child.text)
        if existing is not None and any(rx.match(child.text) for rx in tables):
            listed = {entry.text for entry in child.children}
            for entry in list(existing.children):
                if entry.text not in listed:
                    entry.delete()
    sections = [re.compile(rx) for rx in platform.push.owned_sections]
    for child in change.children:
        if child.children and any(rx.match(child.text) for rx in sections):
            existing = future.get_child(equals=child.text)
            if existing is not None:
                existing.delete()
            future.add_deep_copy_of(child)
    return future


def remediation(running: HConfig, wanted: HConfig) -> HConfig:
    """The commands that turn ``running`` into ``wanted`` (hier_config order weights applied)."""
    return running.config_to_get_to(wanted).set_order_weight()


@dataclass(frozen=True)
class Plan:
    """One host's change: the lines to send (empty: the device already has the template)."""

    host: str
    platform: str
    commands: tuple[str, ...]
    device_diff: str = ""  # the device's own view of the change (NAPALM compare_config), if any
    running: str = field(default="", repr=False, compare=False)  # what the plan was made against
    # the relevant running, the change, and what the relevant part becomes once the plan is sent:
    # kept so the config after the plan is told without planning again
    trees: tuple[HConfig, HConfig, HConfig] | None = field(default=None, repr=False, compare=False)

    @property
    def shown(self) -> tuple[str, ...]:
        """What the operator reviews: the device's own diff where it gives one, else the commands."""
        return tuple(self.device_diff.splitlines()) if self.device_diff.strip() else self.commands

    @property
    def empty(self) -> bool:
        """True when the device already has everything the template says."""
        return not self.commands

    @property
    def text(self) -> str:
        """The change as one block of text (what identical-change grouping compares)."""
        return "\n".join(self.commands) + ("\n" if self.commands else "")


def _blocks(lines: list[str]) -> list[list[str]]:
    """Top-level blocks: a line at column 0 with its indented lines, closing lines and banner text."""
    blocks: list[list[str]] = []
    delimiter: str | None = None
    for line in lines:
        if blocks and (delimiter or line[:1].isspace() or line.strip() in ("end", "exit")):
            blocks[-1].append(line)
            if delimiter and delimiter in line:
                delimiter = None
            continue
        blocks.append([line])
        words = line.split()
        if line.startswith("banner ") and len(words) > 2:
            mark = words[2][:2] if words[2].startswith("^") else words[2][:1]
            delimiter = None if mark in line.split(mark, 1)[1] else mark
    return blocks


def _affects(platform_name: str, change: HConfig) -> Callable[[list[str]], bool]:
    """Whether a top-level block of a running config is one a change can affect: its sections,
    same-keyword lines, owned families."""
    platform = get_platform(platform_name)
    negation = change.driver.negation_prefix
    owned = [re.compile(rx) for rx in platform.push.owned_lines]
    texts = {c.text.removeprefix(negation).split("\n", 1)[0] for c in change.children}
    leaf_words = {c.text.removeprefix(negation).split()[0] for c in change.children if not c.children}

    def affected(block: list[str]) -> bool:
        header = block[0].strip().removeprefix(negation)
        return bool(header) and (
            header in texts or (len(block) == 1 and header.split()[0] in leaf_words)
            or any(rx.match(device_words(block[0], platform, negation)) for rx in owned))

    return affected


def _relevant(platform_name: str, running_text: str, change: HConfig) -> str:
    """The part of a running config a change can affect. Planning on it gives the same commands as
    on the whole config (untouched sections are equal on both sides) at a fraction of the cost
    (FortiOS full listings are long)."""
    affected = _affects(platform_name, change)
    blocks = _blocks(clean(running_text, get_platform(platform_name)).split("\n"))
    return "\n".join(line for block in blocks if affected(block) for line in block)


def _keep_order(platform_name: str, running: HConfig, change: HConfig, fix: HConfig) -> None:
    """Make ordered line families (ASA access lists) end in the template's order.

    hier_config appends new lines, which is right when they go at the end; when the template
    inserts or reorders lines, the running lines from the first difference on are removed and the
    template's lines from there on added, so the device ends with exactly the template's order.
    A family the device removes whole (ASA banners) is rewritten from its first line. Restoring a
    saved config uses it too, with the saved config as the template.
    """
    platform = get_platform(platform_name)
    negation, declaration = fix.driver.negation_prefix, fix.driver.declaration_prefix

    def positive(text: str) -> str:
        """A removal line as the line it removes (JunOS ``delete X`` removes ``set X``)."""
        return declaration + text.removeprefix(negation) if text.startswith(negation) else text

    for pattern in platform.push.ordered_lines:
        rx, whole = re.compile(pattern), pattern in platform.push.whole_families
        keys = {m.groups() for c in change.children if (m := rx.match(device_words(c.text, platform, "")))}
        for key in keys:
            def member(text: str, rx: re.Pattern[str] = rx, key: tuple[str | None, ...] = key) -> bool:
                found = rx.match(device_words(positive(text), platform, ""))
                return found is not None and found.groups() == key

            have = [c.text for c in running.children if member(c.text)]
            want = [c.text for c in change.children if member(c.text)]
            if have == want[: len(have)] or (not whole and not set(have) & set(want)):
                continue  # in order already, or all replaced: plain remediation keeps the order
            same = 0 if whole else next(
                (i for i, (a, b) in enumerate(zip(have, want, strict=False)) if a != b),
                min(len(have), len(want)))
            children = list(fix.children)
            at = next((i for i, c in enumerate(children) if member(c.text)), len(children))
            fix.children.clear()
            for child in children[:at]:
                if not member(child.text):
                    fix.children.append(child)
            removed: set[str] = set()
            for text in have[same:]:
                undo = HConfig(fix.driver).add_child(text)
                undo.negate()  # the platform's negation form (a PAN-OS rule goes whole)
                if undo.text not in removed and fix.get_child(equals=undo.text) is None:
                    removed.add(undo.text)
                    fix.add_child(undo.text)
            for text in want[same:]:
                fix.add_child(text)
            for child in children[at:]:
                if not member(child.text):
                    fix.children.append(child)


def plan(host: str, platform_name: str, running_text: str, change_text: str) -> Plan:
    """The commands that give one device everything a rendered template says, and nothing else."""
    change = parse(platform_name, change_text)
    running = get_hconfig(driver(platform_name), _relevant(platform_name, running_text, change))
    wanted = target(platform_name, running, change)
    fix = remediation(running, wanted)
    _keep_order(platform_name, running, change, fix)
    commands = tuple(render_lines(platform_name, fix))
    _family_order(platform_name, running, change, wanted)  # now the config the device ends with
    return Plan(host, platform_name, commands, running=running_text, trees=(running, change, wanted))


def _family_order(platform_name: str, running: HConfig, change: HConfig, future: HConfig) -> None:
    """Put ordered line families (ASA access lists) of ``future`` in the order the device ends with
    once the plan is sent: the running lines up to the first difference, then the template's
    (`_keep_order` sends exactly that)."""
    platform = get_platform(platform_name)
    for pattern in platform.push.ordered_lines:
        rx, whole = re.compile(pattern), pattern in platform.push.whole_families
        keys = {m.groups() for c in change.children if (m := rx.match(device_words(c.text, platform, "")))}
        for key in keys:
            def member(text: str, rx: re.Pattern[str] = rx, key: tuple[str | None, ...] = key) -> bool:
                found = rx.match(device_words(text, platform, ""))
                return found is not None and found.groups() == key

            have = [c.text for c in running.children if member(c.text)]
            want = [c.text for c in change.children if member(c.text)]
            kept = {c.text for c in future.children if member(c.text)}
            if have == want[: len(have)]:
                order = have + want[len(have):]
            else:
                same = 0 if whole else next(
                    (i for i, (a, b) in enumerate(zip(have, want, strict=False)) if a != b),
                    min(len(have), len(want)))
                order = have[:same] + want[same:]
            children = list(future.children)
            at = next((i for i, c in enumerate(children) if member(c.text)), len(children))
            future.children.clear()
            for child in children[:at]:
                future.children.append(child)
            for text in order:
                if text in kept or text in want:
                    future.add_child(text)
            for child in children[at:]:
                if not member(child.text):
                    future.children.append(child)


def _whole_lines(platform_name: str, config: HConfig) -> list[str]:
    """A whole configuration tree as device text. A section is closed by the exit its innermost
    hier_config sectional-exiting rule names at any depth (FortiOS ``config``/``edit`` at every
    level close with ``end``/``next``); the exits the parse kept as lines are dropped first."""
    rules = driver(platform_name).rules.sectional_exiting
    exits = {rule.exit_text for rule in rules}
    indent = "    "

    def closing(child: HConfigChild) -> str | None:
        for rule in rules:
            last = rule.match_rules[-1]
            if child.is_match(equals=last.equals, startswith=last.startswith, endswith=last.endswith,
                              contains=last.contains, re_search=last.re_search):
                return rule.exit_text
        return None

    def walk(node: HConfig | HConfigChild, depth: int) -> list[str]:
        out: list[str] = []
        for child in node.children:
            if child.text in exits and not child.children:
                continue
            out.append(indent * depth + child.text)
            out += walk(child, depth + 1)
            exit_text = closing(child) if child.children else None
            if exit_text:
                out.append(indent * depth + exit_text)
        return out

    return walk(config, 0)


def after_config(platform_name: str, running_text: str, change_text: str) -> str:
    """The whole configuration a device holds once the plan for ``change_text`` is applied to
    ``running_text``, as device text (what the audit parses to tell the change's impact offline)."""
    return planned_config(plan("", platform_name, running_text, change_text))


def planned_config(made: Plan) -> str:
    """The whole configuration the device of a plan holds once the plan is sent, as device text.

    Only the blocks the change can affect were planned on (`_relevant`); the others are kept as
    they are, and the planned part takes the place of the first affected block.
    """
    if made.trees is None:
        raise ValueError(f"{made.host}: a plan without its trees cannot tell the config after it")
    _running, change, future = made.trees
    platform = get_platform(made.platform)
    affected = _affects(made.platform, change)
    rebuilt = _whole_lines(made.platform, future)
    lines: list[str] = []
    for block in _blocks(clean(made.running, platform).split("\n")):
        if not affected(block):
            lines += block
        elif rebuilt:
            lines += rebuilt
            rebuilt = []
    lines += rebuilt
    negation = driver(made.platform).negation_prefix
    text = "\n".join(device_words(line, platform, negation) for line in lines)
    return text.replace(QUOTED_NEWLINE, "\n") + "\n"


def restore_commands(platform_name: str, current_text: str, saved_text: str) -> list[str]:
    """The commands that bring a device from its current config back to a saved one (whole config)."""
    current = parse(platform_name, current_text)
    saved = parse(platform_name, saved_text)
    fix = remediation(current, saved)
    _keep_order(platform_name, current, saved, fix)
    return render_lines(platform_name, fix)
