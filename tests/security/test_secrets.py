"""Every secret syntax of the three platforms is masked, and nothing else is.

Each row is a real-looking block (vendor command-reference syntax, Oxidized's models) with the
secret values it holds; the whole-config tests use real device configurations
(fixtures/real/SOURCES).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from tslcd.platforms import get_platform
from tslcd.sanitize import MASK, mask, mask_command, mask_message, sanitize

REAL = Path(__file__).parent / "fixtures" / "real"

IOS = "cisco_ios"
ASA = "cisco_asa"
FORTI = "fortinet"

# (platform, block, secret values that must disappear)
BLOCKS: list[tuple[str, str, tuple[str, ...]]] = [
    # the list
    (IOS, "key config-key password-encrypt Cfg-Key-0001", ("Cfg-Key-0001",)),
    (IOS, "aaa group server radius RG-NPS\n server-private 10.0.10.9 auth-port 1812 acct-port 1813 "
          "key 7 0822455D0A1601", ("0822455D0A1601",)),
    (IOS, "aaa group server tacacs+ TG\n server-private 10.0.10.8 key SrvPrivKey02", ("SrvPrivKey02",)),
    (IOS, "crypto isakmp client configuration group EZVPN-SO\n key EzvpnGroupKey03\n dns 10.0.10.53\n"
          " pool EZPOOL", ("EzvpnGroupKey03",)),
    (IOS, "interface Tunnel10\n ip address 172.16.0.1 255.255.255.0\n ip nhrp authentication NhrpK04\n"
          " ip nhrp network-id 10", ("NhrpK04",)),
    (IOS, "ip http client password 7 104D000A0618", ("104D000A0618",)),
    (IOS, "ip http client password HttpCliPw05", ("HttpCliPw05",)),
    (IOS, "username admin\tprivilege 15\tsecret 9 $9$TabSeparated06", ("$9$TabSeparated06",)),
    (IOS, "username ops\tsecret\t9 $9$TabSeparated07", ("$9$TabSeparated07",)),
    # Oxidized's ios model and Cisco command references
    (IOS, "enable secret 9 "
          "$9$nhEmQVczB7dqsO$X.HsgL6x1il0RxkOSSvyQYwucySCt7qFm4v7pqCxkKM", ("$9$nhEmQVczB7dqsO",)),
    (IOS, "enable password 7 0822455D0A16", ("0822455D0A16",)),
    (IOS, "username support privilege 15 password 0 Plain Text Pass", ("Plain Text Pass",)),
    (IOS, "username netops algorithm-type scrypt secret 9 $9$Scrypt0008", ("$9$Scrypt0008",)),
    (IOS, "snmp-server community Xq7Ro0009 RO MGMT", ("Xq7Ro0009",)),
    (IOS, "snmp-server host 10.0.10.6 vrf MGMT informs version 2c TrapComm10", ("TrapComm10",)),
    (IOS, "snmp-server host 10.0.10.7 TrapComm11 snmp", ("TrapComm11",)),
    (IOS, "snmp-server user mon grp v3 auth sha AuthPw0012 priv aes 128 "
          "PrivPw0013", ("AuthPw0012", "PrivPw0013")),
    (IOS, "tacacs-server host 10.0.10.8 key 7 TacKey0014", ("TacKey0014",)),
    (IOS, "radius-server key RadKey0015", ("RadKey0015",)),
    (IOS, "tacacs server TAC1\n address ipv4 10.0.10.8\n key 7 BlockTac016\n timeout 5", ("BlockTac016",)),
    (IOS, "radius server RAD1\n address ipv4 10.0.10.9 auth-port 1812 acct-port 1813\n key BlockRad017",
     ("BlockRad017",)),
    (IOS, "aaa server radius dynamic-author\n client 10.10.10.10 server-key 7 DynAuth018", ("DynAuth018",)),
    (IOS, "crypto isakmp key 6 IsakmpK019 address 10.254.0.2", ("IsakmpK019",)),
    (IOS, "crypto keyring KR1\n pre-shared-key address 10.254.0.6 key KeyringPsk020", ("KeyringPsk020",)),
    (IOS, "crypto ikev2 keyring IK2\n peer LGSP\n  address 10.254.0.2\n  pre-shared-key local Ik2L021\n"
          "  pre-shared-key remote Ik2R022", ("Ik2L021", "Ik2R022")),
    (IOS, "crypto ikev2 profile P1\n authentication local pre-share key Ik2Prof023", ("Ik2Prof023",)),
    (IOS, "interface GigabitEthernet0/0/1\n ip ospf message-digest-key 1 md5 7 OspfMd5024\n"
          " ip ospf authentication-key OspfAuth025", ("OspfMd5024", "OspfAuth025")),
    (IOS, "interface Vlan10\n standby 1 authentication md5 key-string HsrpK026\n"
          " vrrp 2 authentication text VrrpT027\n glbp 3 authentication md5 key-string 7 GlbpK028",
     ("HsrpK026", "VrrpT027", "GlbpK028")),
    (IOS, "interface Vlan11\n standby 4 authentication HsrpTxt29", ("HsrpTxt29",)),
    (IOS, "router bgp 65001\n neighbor 10.254.0.2 password 7 BgpPw0030", ("BgpPw0030",)),
    (IOS, "key chain KC\n key 1\n  key-string 7 KeyChain031", ("KeyChain031",)),
    (IOS, "ntp authentication-key 1 md5 NtpKey032 7", ("NtpKey032",)),
    (IOS, "line vty 0 4\n password 7 LinePw0033\n login", ("LinePw0033",)),
    (IOS, "interface Dialer1\n ppp chap password 7 ChapPw034\n ppp pap sent-username cpe password PapPw035",
     ("ChapPw034", "PapPw035")),
    (IOS, "vpdn-group L2TP\n l2tp tunnel password 7 L2tpPw036", ("L2tpPw036",)),
    (IOS, "router isis CORE\n domain-password IsisDom037\n area-password "
          "IsisArea038", ("IsisDom037", "IsisArea038")),
    (IOS, "ip ftp password 7 FtpPw0039", ("FtpPw0039",)),
    (IOS, "dot11 ssid GUEST\n wpa-psk ascii 0 WpaPsk040", ("WpaPsk040",)),
    (IOS, "wlan CORP 1 CORP\n security wpa psk set-key ascii 0 Wlan Psk 041", ("Wlan Psk 041",)),
    (IOS, "ap profile default-ap-profile\n mgmtuser username apadmin password 0 MgmtPw042 secret 0 "
          "MgmtSec043",
     ("MgmtPw042", "MgmtSec043")),
    (IOS, "ap profile default-ap-profile\n dot1x username dot1x-user password 0 Dot1xPw044", ("Dot1xPw044",)),
    (IOS, "crypto pki trustpoint TP\n enrollment url http://10.0.10.5\n password PkiPw0045", ("PkiPw0045",)),
    (IOS, "interface Tunnel0\n tunnel key 7 TunnelK046", ("TunnelK046",)),
    # ASA: the list (the type digit used to be masked and the key kept)
    (ASA, "tunnel-group 10.254.0.2 ipsec-attributes\n ikev1 pre-shared-key 8 "
          "AsaPsk8Val047", ("AsaPsk8Val047",)),
    (ASA, "tunnel-group 10.254.0.3 ipsec-attributes\n ikev2 remote-authentication pre-shared-key hex "
          "0a1b2c3d4e048\n ikev2 local-authentication pre-shared-key 8 "
          "AsaIk2L049", ("0a1b2c3d4e048", "AsaIk2L049")),
    (ASA, "tunnel-group 10.254.0.4 ipsec-attributes\n pre-shared-key LegacyPsk050", ("LegacyPsk050",)),
    (ASA, "tunnel-group 10.254.0.5 ipsec-attributes\n ikev1 pre-shared-key hex "
          "00ff00ff051", ("00ff00ff051",)),
    # Oxidized's asa model and the ASA command reference
    (ASA, "enable password $sha512$5000$AsaEnable052== pbkdf2", ("$sha512$5000$AsaEnable052==",)),
    (ASA, "passwd 2KFQnbNIdI.2KYOU encrypted", ("2KFQnbNIdI.2KYOU",)),
    (ASA, "username admin password $sha512$5000$AsaUser053== pbkdf2 privilege "
          "15", ("$sha512$5000$AsaUser053==",)),
    (ASA, "username ops\tpassword $sha512$5000$AsaTab054== pbkdf2", ("$sha512$5000$AsaTab054==",)),
    (ASA, "snmp-server community AsaComm055", ("AsaComm055",)),
    (ASA, "snmp-server host inside 10.0.10.6 community AsaHostComm056 version 2c", ("AsaHostComm056",)),
    (ASA, "snmp-server user mon grp v3 auth sha AsaAuth057 priv aes 256 "
          "AsaPriv058", ("AsaAuth057", "AsaPriv058")),
    (ASA, "aaa-server TAC (inside) host 10.0.10.8\n key AsaTacKey059\n timeout 5", ("AsaTacKey059",)),
    (ASA, "aaa-server LDAP (inside) host 10.0.10.10\n ldap-login-password AsaLdap060", ("AsaLdap060",)),
    (ASA, "failover key AsaFailover061", ("AsaFailover061",)),
    (ASA, "failover key hex 0123456789abcdef062", ("0123456789abcdef062",)),
    (ASA, "ntp authentication-key 1 md5 AsaNtp063", ("AsaNtp063",)),
    (ASA, "interface GigabitEthernet0/1\n ospf message-digest-key 1 md5 AsaOspf064\n"
          " ospf authentication-key AsaOspfA065", ("AsaOspf064", "AsaOspfA065")),
    (ASA, "router bgp 65002\n address-family ipv4 unicast\n  neighbor 10.254.0.9 password 0 AsaBgp066",
     ("AsaBgp066",)),
    (ASA, "interface GigabitEthernet0/2\n authentication key eigrp 10 AsaEigrp067 key-id "
          "1", ("AsaEigrp067",)),
    (ASA, "vpdn username cpe password AsaVpdn068", ("AsaVpdn068",)),
    (ASA, "crypto isakmp key AsaIsakmp069 address 10.254.0.7", ("AsaIsakmp069",)),
    # FortiOS: the list, encrypted and plain
    (FORTI, "config system api-user\n    edit \"monitor\"\n        set api-key ENC SH2ApiKey070\n"
          "    next\nend",
     ("SH2ApiKey070",)),
    (FORTI, "config user radius\n    edit \"nps\"\n        set server \"10.0.10.9\"\n        set secret "
          "ENC RadSec071\n"
            "        set secondary-secret ENC RadSec072\n        set tertiary-secret RadSec073\n"
            "    next\nend",
     ("RadSec071", "RadSec072", "RadSec073")),
    (FORTI, "config user tacacs+\n    edit \"tac\"\n        set key ENC TacK074\n        set "
          "secondary-key ENC TacK075\n"
            "        set tertiary-key TacK076\n    next\nend", ("TacK074", "TacK075", "TacK076")),
    (FORTI, "config system autoupdate tunneling\n    set status enable\n    set proxy-password "
          "ENC ProxyPw077\nend",
     ("ProxyPw077",)),
    (FORTI, "config router ospf\n    config ospf-interface\n        edit \"wan1\"\n"
            "            set authentication-key ENC OspfK078\n        next\n    end\nend", ("OspfK078",)),
    (FORTI, "config system ddns\n    edit 1\n        set ddns-password ENC Ddns079\n    next\n"
          "end", ("Ddns079",)),
    (FORTI, "config wireless-controller vap\n    edit \"corp\"\n        set sae-password ENC Sae0080\n"
            "        set passphrase ENC Wpa0081\n    next\nend", ("Sae0080", "Wpa0081")),
    (FORTI, "config system sdn-connector\n    edit \"aws\"\n        set secret-key ENC Sdn0082\n"
          "    next\nend",
     ("Sdn0082",)),
    (FORTI, "config system central-management\n    set fmg-password ENC Fmg0083\nend", ("Fmg0083",)),
    (FORTI, "config system central-management\n    set fmg-password PlainFmg084\nend", ("PlainFmg084",)),
    (FORTI, "config system admin\n    edit \"admin\"\n        set password ENC SH2AdminPw085\n    next\nend",
     ("SH2AdminPw085",)),
    (FORTI, "config vpn ipsec phase1-interface\n    edit \"lgsp\"\n        set psksecret ENC Psk0086\n"
            "        set psksecret-remote ENC Psk0087\n        set ppk-secret ENC Ppk0088\n    next\nend",
     ("Psk0086", "Psk0087", "Ppk0088")),
    (FORTI, "config system snmp user\n    edit \"mon\"\n        set auth-pwd ENC Snmp089\n"
            "        set priv-pwd ENC Snmp090\n    next\nend", ("Snmp089", "Snmp090")),
    (FORTI, "config system snmp community\n    edit 1\n        set name \"FgComm091\"\n    next\n"
          "end", ("FgComm091",)),
    (FORTI, "config user local\n    edit \"guest\"\n        set type password\n        set passwd "
          "ENC Local092\n"
            "    next\nend", ("Local092",)),
    (FORTI, "config system ha\n    set group-password ENC Ha0093\n    set password ENC Ha0094\nend",
     ("Ha0093", "Ha0094")),
    (FORTI, "config router bgp\n    config neighbor\n        edit \"10.254.0.2\"\n            set "
          "password ENC Bgp095\n"
            "        next\n    end\nend", ("Bgp095",)),
    (FORTI, "config system admin\n    edit \"ops\"\n        set history0 ENC Hist096\n        set "
          "history1 ENC Hist097\n"
            "    next\nend", ("Hist096", "Hist097")),
    (FORTI, "config user fsso\n    edit \"ad\"\n        set password ENC Fsso098\n        set password2 "
          "ENC Fsso099\n"
            "    next\nend", ("Fsso098", "Fsso099")),
    (FORTI, "config router rip\n    config interface\n        edit \"port1\"\n            set "
          "auth-string ENC Rip100\n"
            "        next\n    end\nend", ("Rip100",)),
    (FORTI, "config vpn certificate local\n    edit \"srv\"\n        set password ENC Cert101\n"
            "        set private-key \"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIFPrivKey102\n"
            "-----END ENCRYPTED PRIVATE KEY-----\"\n    next\nend", ("Cert101", "MIIFPrivKey102")),
    (FORTI, "#config-version=FGT60F-7.2.8-FW-build1639-240313:opmode=0:vdom=0\n"
            "#private-encryption-key=PrivEnc103\nconfig system global\n    set hostname \"fw\"\n"
            "end", ("PrivEnc103",)),
]


def _id(row: tuple[str, str, tuple[str, ...]]) -> str:
    return f"{row[0]}:{row[1].splitlines()[-1 if row[1].count(chr(10)) < 2 else 1].strip()[:40]}"


@pytest.mark.parametrize(("platform", "block", "secrets"), BLOCKS, ids=[_id(r) for r in BLOCKS])
def test_every_secret_syntax_is_masked(platform: str, block: str, secrets: tuple[str, ...]) -> None:
    masked = mask(block, platform)
    for secret in secrets:
        assert secret not in masked, masked
    assert MASK in masked
    assert mask(masked, platform) == masked  # idempotent
    # lines that hold no secret are kept byte for byte
    kept = [line for line in block.split("\n") if not any(s in line for s in secrets)
            and "PRIVATE KEY" not in line]
    assert all(line in masked.split("\n") for line in kept), masked
    stored = sanitize(block, get_platform(platform))
    assert not any(s in stored for s in secrets)
    assert sanitize(stored, get_platform(platform)) == stored


@pytest.mark.parametrize(("platform", "line"), [
    (IOS, "snmp-server community public RO"),
    (IOS, "snmp-server community private RW"),
    (IOS, "snmp-server host 10.0.10.6 version 2c public"),
    (IOS, "snmp-server host 10.42.0.36 vrf Mgmt-vrf informs version 3 auth monitor  bfd"),
    (ASA, "snmp-server community public"),
    (ASA, "snmp-server host inside 10.0.10.6 community private version 2c"),
    (FORTI, "config system snmp community\n    edit 1\n        set name \"public\"\n    next\nend"),
    (FORTI, "config vpn ssl web portal\n    edit \"full\"\n        set save-password enable\n    next\nend"),
    (FORTI, "config system password-policy\n    set status enable\n    set minimum-length 12\nend"),
    (IOS, "service password-encryption"),
    (IOS, "key chain KC\n key 7\n  accept-lifetime infinite"),
    (IOS, "aaa authentication login default group tacacs+ local"),
    (ASA, "password encryption aes"),
])
def test_findings_and_settings_stay_visible(platform: str, line: str) -> None:
    """Default SNMP communities are audit findings, toggles are settings: neither is a secret."""
    assert mask(line, platform) == line


REAL_CONFIGS = [
    ("ios_c9200l_17.9.cfg", IOS, 8),
    ("ios_c9800_17.6.cfg", IOS, 9),
    ("asa_5512_9.12.cfg", ASA, 7),
    ("fortigate_91g_7.4.7.cfg", FORTI, 10),
]
# Independent of tslcd.platforms: a changed line must name a secret-bearing keyword.
SECRET_WORD = re.compile(r"secret|password|passwd|key|pwd|community|snmp-server "
      "host|PRIVATE KEY|^[A-Za-z0-9+/=]+$")


@pytest.mark.parametrize(("name", "platform", "changed"), REAL_CONFIGS)
def test_masking_a_real_config_changes_only_its_secret_lines(name: str, platform: str, changed: int) -> None:
    text = (REAL / name).read_text(encoding="utf-8")
    masked = mask(text, platform)
    before, after = text.split("\n"), masked.split("\n")
    touched = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        assert op == "replace", (op, before[i1:i2], after[j1:j2])
        assert all(MASK in line for line in after[j1:j2])
        assert all(SECRET_WORD.search(line) for line in before[i1:i2]), before[i1:i2]
        touched.append(after[j1:j2])
    assert sum(len(t) for t in touched) == changed
    assert "AAAAAAAAAABBBBBBBBBB" not in masked and "SECRET_" not in masked
    assert "ENCRYPTEDPRIVATEKEY" not in masked
    assert mask(masked, platform) == masked


def test_a_rejected_command_quoted_in_a_message_is_masked() -> None:
    """An ASA that refuses a user line echoes it: the error names the command, not its hash."""
    message = "the device rejected `username bob password $sha512$5000$RejHash1== pbkdf2 privilege 16`"
    assert "RejHash1" not in mask_message(message, ASA)
    assert mask_message(message, ASA).startswith("the device rejected `username bob password <removed>")
    sub = "after the change 1 line(s) are still missing: ' ikev1 pre-shared-key 8 RejPsk2'"
    assert "RejPsk2" not in mask_message(sub, ASA)
    assert "RejK3" not in mask_message("unexpected X: `Error in line 4: set psksecret RejK3`", FORTI)
    assert "RejK6" not in mask_message("the device's answer, it's `username a password RejK6`", ASA)
    assert "RejK5" not in mask_message("1 line(s) still differ: ' key RejK5'", ASA)  # aaa-server key
    assert "RejK4" not in mask_command("% Invalid input: ikev2 local-authentication pre-shared-key hex "
          "RejK4", ASA)
    # the message's own words are not taken for a command
    plain = "login refused: wrong username or password (or key)"
    assert mask_message(plain, IOS) == plain


def test_an_unknown_platform_gets_every_platforms_patterns() -> None:
    assert "Unk5" not in mask_message("rejected `enable secret 9 Unk5`", "junos")
    assert "Unk6" not in mask("set password ENC Unk6", None)
