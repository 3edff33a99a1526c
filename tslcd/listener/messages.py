"""Which syslog messages say "my configuration was changed", and by whom.

Each vendor words it differently; the patterns follow the vendors' message references: IOS
``%SYS-5-CONFIG_I``, ASA ``%ASA-5-111008`` / ``111010``, FortiOS event log ids 0100044546 /
0100044547 (``user=``), Huawei ``HWCM/4/CFGCHANGE``, JunOS ``UI_COMMIT`` (``User 'NAME' requested
'commit' operation``), PAN-OS config logs (``...,CONFIG,...`` in the default CSV format: command,
admin, client, result, path). A message is untrusted input: the user
name it carries is kept only when it is a plain account name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_MESSAGE = 8192  # bytes of one syslog message worth reading (RFC 5426 allows more, none needed)
_ACCOUNT = re.compile(r"^[\w.@\\-]{1,64}$")


@dataclass(frozen=True)
class ConfigChange:
    """A device said its configuration changed."""

    vendor: str
    user: str | None  # the account named by the message (None: not named, or not plain)
    what: str  # a short, printable description of the change


def _account(name: str | None) -> str | None:
    name = (name or "").strip().strip("'\"")
    return name if _ACCOUNT.match(name) and name.lower() not in ("console", "unknown") else None


def _clean(text: str, limit: int = 200) -> str:
    return re.sub(r"[\x00-\x1f\x7f]", " ", text).strip()[:limit]


_IOS = re.compile(r"%SYS-5-CONFIG_I: Configured from (?P<src>\S+)(?: by (?P<user>\S+))?(?: on (?P<line>\S+))?"
                  r"(?: \((?P<addr>[^)]*)\))?")
_ASA_111008 = re.compile(r"%ASA-5-111008: User '?(?P<user>[^' ]+)'? executed the '?(?P<cmd>.+?)'? command")
_ASA_111010 = re.compile(r"%ASA-5-111010: User '?(?P<user>[^',]+)'?, running '?(?P<app>[^']+?)'? from IP "
                         r"(?P<addr>\S+?),? executed '?(?P<cmd>.+?)'?\s*$")
_FORTI_ID = re.compile(r'\blogid="?01000445(?:46|47)"?')
_FORTI_FIELD = re.compile(r'\b(?P<key>user|msg|cfgpath|ui)=(?:"(?P<quoted>[^"]*)"|(?P<bare>\S+))')
_JUNOS = re.compile(r"\bUI_COMMIT(?:_COMPLETED)?: User '(?P<user>[^']*)' requested '(?P<op>[^']+)' operation"
                    r"(?: \(comment: (?P<comment>[^)]*)\))?")
_PANOS = re.compile(r"\d,[\d/: ]+,\w+,CONFIG,\d*,\d*,[\d/: ]+,(?P<host>[^,]*),(?P<vsys>[^,]*),"
                    r"(?P<cmd>[^,]*),(?P<user>[^,]*),(?P<client>[^,]*),(?P<result>[^,]*),(?P<path>[^,]*)")
_HUAWEI = re.compile(r"HWCM/\d/CFGCHANGE\b(?P<rest>.*)")
_HUAWEI_USER = re.compile(r"\bUserName=(?P<user>[^,)\s]+)")


def parse(text: str) -> ConfigChange | None:
    """The configuration change a syslog message reports, or None for any other message."""
    text = text[:MAX_MESSAGE]
    if m := _IOS.search(text):
        where = " ".join(p for p in (m["line"], f"({m['addr']})" if m["addr"] else None) if p)
        return ConfigChange("cisco_ios", _account(m["user"]),
                            _clean(f"configured from {m['src']}" + (f" on {where}" if where else "")))
    if m := _ASA_111010.search(text):
        return ConfigChange("cisco_asa", _account(m["user"]),
                            _clean(f"executed '{m['cmd']}' from {m['addr']} ({m['app']})"))
    if m := _ASA_111008.search(text):
        return ConfigChange("cisco_asa", _account(m["user"]), _clean(f"executed '{m['cmd']}'"))
    if _FORTI_ID.search(text):
        fields = {f["key"]: f["quoted"] if f["quoted"] is not None else f["bare"]
                  for f in _FORTI_FIELD.finditer(text)}
        what = fields.get("msg") or fields.get("cfgpath") or "configuration changed"
        return ConfigChange("fortinet", _account(fields.get("user")),
                            _clean(what + (f" via {fields['ui']}" if fields.get("ui") else "")))
    if m := _JUNOS.search(text):
        comment = m["comment"] if m["comment"] and m["comment"] != "none" else ""
        return ConfigChange("juniper_junos", _account(m["user"]),
                            _clean(f"requested '{m['op']}'" + (f" ({comment})" if comment else "")))
    if m := _PANOS.search(text):
        what = " ".join(p for p in (m["cmd"], m["path"].strip()) if p)
        return ConfigChange("paloalto_panos", _account(m["user"]),
                            _clean(f"{what} via {m['client']} from {m['host'] or 'unknown'} ({m['result']})"))
    if m := _HUAWEI.search(text):
        user = _HUAWEI_USER.search(m["rest"])
        return ConfigChange("huawei", _account(user["user"] if user else None), "configuration changed")
    return None
