"""Fortinet FortiGate (FortiOS): config tables, ENC secrets, revert-mode commit-confirm."""

from __future__ import annotations

from tslcd.platforms.model import ConfirmRules, Platform, PushRules

PLATFORM = Platform(
    name="fortinet",
    display="Fortinet FortiGate (FortiOS)",
    napalm_driver=None,
    config_command="show full-configuration",
    facts_command="get system status",
    save_command=None,
    hier_config_os="FORTINET_FORTIOS",
    audit_parser="tslcd.audit.parsers.fortinet:parse",
    lab_model="tslcd.lab.models.fortinet:FortinetDevice",
    containerlab=("fortinet_fortigate", "vrnetlab/fortinet_fortigate:7.2.8"),
    # Netmiko's FortiOS driver, unless told which key exchanges to disable, offers only the
    # finite-field Diffie-Hellman ones (a workaround for FortiOS 5.4.0, Fortinet KB FD38109):
    # paramiko is left with diffie-hellman-group-exchange-sha256, whose big-number arithmetic was a
    # third of a backup's client CPU and weighs on the FortiGate too. FortiOS 6.2 and later offer
    # curve25519 and ECDH (`set ssh-kex-algo`, CLI reference), which paramiko prefers; a FortiGate
    # that offers only group exchange still gets it. Disabling group1 (Logjam-weak, which paramiko
    # no longer offers anyway) is what names a kex list and so keeps Netmiko's override out.
    ssh_options={"disabled_algorithms": {"kex": ["diffie-hellman-group1-sha1"]}},
    read_only_commands=(
        r"show(?:\s+\S.*)?", r"get\s+\S.*",
        r"diagnose\s+(?:sys\s+(?:session\s+(?:list|stat|full-stat)|top(?:-summary)?(?:\s+\d+)*"
        r"|ha\s+status|performance\s+status|arp\s+list)|ip\s+(?:arp|route|address)\s+list"
        r"|hardware\s+deviceinfo\s+(?:nic|disk)(?:\s+\S+)?|firewall\s+iprope\s+list"
        r"|vpn\s+(?:tunnel|ike\s+gateway)\s+list)",
    ),
    read_only_filters=(r"grep(?:\s+-[a-zA-Z]+)*\s+\S.*",),
    read_only_help=("get ..., show ..., diagnose sys session list|top|ha status|..., "
                    "diagnose ip arp|route|address list, ...", "grep [-OPTIONS] PATTERN"),
    detect_patterns=(r"^#config-version=", r"^config system global$",
                     r"^config firewall (?:policy|address)$", r"^\s*edit \S+$", r"^\s*next$"),
    comment_prefix="#",
    secret_patterns=(
        # Any value FortiOS stores encrypted (ENC), then the names that may also hold a
        # plain value (as pushed, or on older firmware); FortiOS CLI reference and
        # Oxidized's fortios model. Toggles such as `set save-password enable` stay.
        (r"^(\s*set \S+ ENC) .+$", r"\1 <removed>"),
        (r"^(\s*set (?:password|passwd|psksecret|psksecret-remote|secret|\S+-secret|key"
         r"|secondary-key|tertiary-key|passphrase|auth-pwd|priv-pwd|sso-password|ppk-secret"
         r"|login-password|server-key|mgmt-password|api-key|proxy-password|authentication-key"
         r"|ddns-password|sae-password|secret-key|fmg-password|group-password|auth-password"
         r"|auth-password-l[12]|key-string|history[01]|md5-key(?: \d+)?)) (?!ENC ).+$",
         r"\1 <removed>"),
        (r'^(\s*set private-?key) "[^"]*"', r'\1 "<removed>"'),
        (r"^(#private-encryption-key=).+$", r"\1<removed>"),
    ),
    scoped_secret_patterns=(
        (r"config system snmp community$", r'^(\s*set name) (?!"?(?i:public|private)"?$).+$',
         r'\1 "<removed>"'),
    ),
    volatile_patterns=(r"#conf_file_ver=",),
    # The header names whoever logged in for the last change; the firmware part is kept.
    volatile_substitutions=((r"^(#config-version=\S*?):user=\S*$", r"\1"),),
    error_pattern=r"^(?:Command fail\. Return code|Unknown action|command parse error)",
    config_marker=r"^\s*set hostname \S+",
    facts_patterns={
        "model": r"^Version:\s*(\S+)",
        "serial": r"^Serial-Number:\s*(\S+)",
        "os_version": r"^Version:\s*\S+\s+v?([^,\s]+)",
        "uptime": r"^Uptime:\s*(.+)$",
    },
    push=PushRules(
        ignore_lines=(r"^#",),
        negations=((r"^edit (.+)$", r"delete \1"),),
        owned_entries=(r"^config firewall policy$",),
        multiline_quotes=True,
        unverified_lines=r'^\s*set \S+ "(?:[^"\\]|\\.)*$',
    ),
    confirm=ConfirmRules(
        method="revert-mode",
        arm=("config system global", "set cfg-save revert", "set cfg-revert-timeout {seconds}",
             "end"),
        save=("execute cfg save",),
        settings=((r"^\s*set cfg-save (\S+)$", "automatic"),
                  (r"^\s*set cfg-revert-timeout (\d+)$", "600")),
        restore=("config system global", "set cfg-save {0}", "set cfg-revert-timeout {1}", "end"),
        armed=r"^\s*set cfg-save revert$",
    ),
)
