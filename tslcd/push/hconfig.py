"""hier_config as tslcd uses it: one driver per platform with the registry's extra rules, config text
in and device-ready lines out.

The platform registry supplies what the library lacks (settings that replace each other, how a
FortiOS entry or an IOS banner is removed, header lines to ignore, ASA one-line banners, FortiOS
values quoted across lines, diffed as one line and sent back on several); the output puts
removals first and in reverse order, so nothing is deleted while still in use.
"""

from __future__ import annotations

import re
from functools import cache

from hier_config import HConfig, HConfigChild, MatchRule, Platform, get_hconfig, get_hconfig_driver
from hier_config.models import IdempotentCommandsRule
from hier_config.platforms.driver_base import HConfigDriverBase

from tslcd.platforms import Platform as DevicePlatform
from tslcd.platforms import get_platform

#: Diff form of a banner whose text closes on its own line (IOS prints ``banner exec ^CText^C``):
#: hier_config reads any line starting "banner " as the start of a multi-line banner and fails.
ONE_LINE_BANNER = "banner-1line "
_ONE_LINE_BANNER_NEGATION = re.compile(r"^banner-1line (\S+) .*$", re.DOTALL)


def _is_one_line_banner(line: str) -> bool:
    words = line.split(None, 2)
    if len(words) < 3 or words[0] != "banner":
        return False
    mark = "^C" if words[2].startswith("^C") else words[2][:1]
    return mark in words[2][len(mark):]


def _negating(base: type[HConfigDriverBase], rules: tuple[tuple[str, str], ...]) -> type[HConfigDriverBase]:
    """The driver class with the registry's negation forms tried before the library's own."""
    compiled = [(re.compile(rx), repl) for rx, repl in rules]
    compiled.append((_ONE_LINE_BANNER_NEGATION, r"no banner \1"))  # IOS takes no text after the kind

    class PushDriver(base):  # type: ignore[misc, valid-type]
        def swap_negation(self, child: HConfigChild) -> HConfigChild:
            for rx, repl in compiled:
                if rx.match(child.text):
                    child.text = rx.sub(repl, child.text)
                    return child
            return super().swap_negation(child)

    return PushDriver


@cache
def driver(platform_name: str) -> HConfigDriverBase:
    """The hier_config driver for a platform, with the registry's idempotency and negation rules."""
    platform = get_platform(platform_name)
    base = type(get_hconfig_driver(Platform[platform.hier_config_os or "GENERIC"]))
    instance = _negating(base, platform.push.negations)()
    for levels in platform.push.idempotent:
        rule = IdempotentCommandsRule(match_rules=tuple(MatchRule(re_search=r) for r in levels))
        instance.rules.idempotent_commands.append(rule)
    return instance


#: Stands for a newline inside a quoted value while the value is diffed as one line.
QUOTED_NEWLINE = "\ue000"  # private use: not whitespace, not a line break
_QUOTE_OR_ESCAPE = re.compile(r'\\.|"')


def _join_quoted(lines: list[str]) -> list[str]:
    """Lines with each multi-line quoted value folded into the line that opens it."""
    joined: list[str] = []
    open_value = False
    for line in lines:
        if open_value:
            joined[-1] += QUOTED_NEWLINE + line
        else:
            joined.append(line)
        if _QUOTE_OR_ESCAPE.findall(line).count('"') % 2:
            open_value = not open_value
    return joined


def clean(text: str, platform: DevicePlatform) -> str:
    """Drop header, comment and volatile lines (FortiOS ``#conf_file_ver``, ASA ``: Saved``)."""
    dropped = [*platform.volatile_res, *(re.compile(rx) for rx in platform.push.ignore_lines)]
    lines = text.replace("\r\n", "\n").split("\n")
    if platform.push.multiline_quotes:
        lines = _join_quoted(lines)
    keep = [line for line in lines if not any(rx.match(line) for rx in dropped)]
    for device_form, diff_form in platform.push.line_aliases:
        keep = [diff_form + line[len(device_form):] if line.startswith(device_form) else line
                for line in keep]
    keep = [ONE_LINE_BANNER + line.removeprefix("banner ") if _is_one_line_banner(line) else line
            for line in keep]
    return "\n".join(keep)


def device_words(line: str, platform: DevicePlatform, negation: str) -> str:
    """A diffed line back in the device's words."""
    body = line.lstrip()
    pad = line[: len(line) - len(body)]
    prefix = negation if body.startswith(negation) else ""
    if body[len(prefix):].startswith(ONE_LINE_BANNER):
        return pad + prefix + "banner " + body[len(prefix) + len(ONE_LINE_BANNER):]
    for device_form, diff_form in platform.push.line_aliases:
        if body[len(prefix):].startswith(diff_form):
            return pad + prefix + device_form + body[len(prefix) + len(diff_form):]
    return line


def parse(platform_name: str, text: str) -> HConfig:
    """A config text as a hier_config tree for its platform."""
    platform = get_platform(platform_name)
    return get_hconfig(driver(platform_name), clean(text, platform))


def _removal_words(platform_name: str) -> tuple[str, ...]:
    platform = get_platform(platform_name)
    words = {driver(platform_name).negation_prefix}
    words.update(repl.split()[0] + " " for _rx, repl in platform.push.negations)
    return tuple(words)


def _removes_only(node: HConfigChild, words: tuple[str, ...]) -> bool:
    if not node.children:
        return node.text.startswith(words)
    return all(_removes_only(child, words) for child in node.children)


def _split(config: HConfig, words: tuple[str, ...]) -> tuple[list[HConfigChild], list[HConfigChild]]:
    """Top-level sections split into their removals and the rest (a section may hold both)."""
    removals: list[HConfigChild] = []
    rest: list[HConfigChild] = []
    removal_root, keep_root = HConfig(config.driver), HConfig(config.driver)
    for child in sorted(config.children):
        if _removes_only(child, words):
            removals.append(child)
            continue
        gone = {sub.text for sub in child.children if _removes_only(sub, words)}
        if not gone:
            rest.append(child)
            continue
        removal, keep = removal_root.add_shallow_copy_of(child), keep_root.add_shallow_copy_of(child)
        for sub in sorted(child.children):
            (removal if sub.text in gone else keep).add_deep_copy_of(sub)
        removals.append(removal)
        rest.append(keep)
    return removals, rest


def render_lines(platform_name: str, config: HConfig) -> list[str]:
    """Config lines as typed: indented, section exits where needed, removals first and in reverse.

    Configs list objects before what uses them, so additions keep that order and removals take
    the opposite one: a firewall policy goes before the address it uses, an ACL entry before its
    object (devices refuse to delete an object in use).
    """
    removals, rest = _split(config, _removal_words(platform_name))
    platform = get_platform(platform_name)
    negation = driver(platform_name).negation_prefix
    lines: list[str] = []
    removed: set[str] = set()
    for child in [*reversed(removals), *rest]:
        if child in removals and not child.children:  # several lines may undo as one (a PAN-OS rule)
            if child.text in removed:
                continue
            removed.add(child.text)
        for line in child.lines(sectional_exiting=True):
            if line.strip():
                lines.extend(device_words(line, platform, negation).split(QUOTED_NEWLINE))
    return lines
