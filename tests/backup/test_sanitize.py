"""Masking and volatile-line removal per platform, on configs shaped like the real devices'."""

from __future__ import annotations

import pytest

from tslcd.platforms import PLATFORMS, get_platform
from tslcd.sanitize import MASK, sanitize

IOS = """Building configuration...

Current configuration : 2048 bytes
!
! Last configuration change at 10:11:12 ICT Mon Nov 23 2026 by admin
! NVRAM config last updated at 10:11:13 ICT Mon Nov 23 2026 by admin
version 17.6
hostname so-tttt-r1
enable secret 9 $9$EnAbLeHaSh0001
enable password level 7 S3cr3tEnable
username admin privilege 15 secret 9 $9$AdMiNhAsH0002
username support privilege 15 password 0 Pl@inText Pass
username ops password 7 0822455D0A16
snmp-server community Xq7CommunityRO RO MGMT-SSH
snmp-server community public RO
snmp-server host 10.0.10.6 version 2c TrapCommunity9
snmp-server user monitor grp v3 auth sha AuthPassw0rd priv aes 128 PrivPassw0rd
tacacs-server host 10.0.10.8 key 7 TacacsKey0042
radius-server key RadiusKey0043
tacacs server TAC1
 address ipv4 10.0.10.8
 key 7 BlockTacacsKey44
radius server RAD1
 address ipv4 10.0.10.9 auth-port 1812 acct-port 1813
 key BlockRadiusKey45
crypto isakmp key IsakmpPsk0046 address 10.254.0.2
crypto keyring KR1
 pre-shared-key address 10.254.0.6 key KeyringPsk0047
crypto ikev2 keyring IK2
 peer LGSP
  pre-shared-key local Ikev2Local0048
  pre-shared-key remote Ikev2Remote0049
interface GigabitEthernet0/0/0
 ip ospf message-digest-key 1 md5 OspfMd5Key50
 ip ospf authentication-key OspfAuthKey51
 standby 1 authentication md5 key-string HsrpKey0052
router bgp 65001
 neighbor 10.254.0.2 password BgpPassword53
key chain KC
 key 1
  key-string KeyChainString54
ntp authentication-key 1 md5 NtpKey00055 7
ntp clock-period 17179869
line vty 0 4
 password 7 LinePassword56
end
"""

ASA = """: Saved
:
: Serial Number: 9A1234567
: Hardware:   ASA5516, 8192 MB RAM, CPU Atom C2000 series 2416 MHz, 1 CPU (8 cores)
: Written by enable_15 at 10:11:12.345 ICT Mon Nov 23 2026
!
ASA Version 9.16(4)
!
hostname sxd-fw1
enable password AsaEnable0060 pbkdf2
passwd AsaPasswd0061 encrypted
username admin password AsaUserPass62 pbkdf2 privilege 15
snmp-server host inside 10.0.10.6 community AsaSnmpHost63 version 2c
snmp-server community AsaCommunity64
aaa-server TACACS (inside) host 10.0.10.8
 key AsaAaaKey0065
tunnel-group 10.254.0.2 ipsec-attributes
 ikev1 pre-shared-key AsaIkev1Psk66
 ikev2 remote-authentication pre-shared-key AsaIkev2Rem67
 ikev2 local-authentication pre-shared-key AsaIkev2Loc68
failover key AsaFailover069
snmp-server host inside 10.0.10.7 poll community AsaSnmpPoll80 version 2c
snmp-server user ops SNMP-RO v3 encrypted auth sha256 AsaSnmpAuth81 priv aes 256 AsaSnmpPriv82
aaa-server RADIUS (inside) host 10.0.10.9
 key AsaRadiusKey83
 radius-common-pw AsaRadiusPw084
aaa-server LDAP (inside) host 10.0.10.10
 ldap-login-password AsaLdapPw0085
ntp authentication-key 1 md5 AsaNtpKey0086
vpdn username isp password AsaVpdnPw0087
interface GigabitEthernet1/1
 ospf message-digest-key 1 md5 AsaOspfKey088
 authentication key eigrp 100 AsaEigrpKey89 key-id 1
router bgp 65001
 address-family ipv4 unicast
  neighbor 10.254.0.1 password 0 AsaBgpPw0090
Cryptochecksum:0123456789abcdef0123456789abcdef
: end
"""

FORTI = """#config-version=FG100F-7.02.08-FW-build1639-240313:opmode=0:vdom=0:user=admin
#conf_file_ver=123456789
#buildno=1639
#global_vdom=1
config system global
    set hostname "stc-fw1"
end
config system admin
    edit "admin"
        set accprofile "super_admin"
        set password ENC SH2FortiAdminEnc0070
    next
end
config system snmp community
    edit 1
        set name "FortiCommunity71"
        config hosts
            edit 1
                set ip 10.0.99.10 255.255.255.255
            next
        end
    next
    edit 2
        set name "public"
    next
end
config firewall address
    edit "LAN"
        set name-must-not-be-masked "x"
    next
end
config vpn ipsec phase1-interface
    edit "VPN-LGSP"
        set psksecret ENC FortiPskEnc0072
    next
end
config user radius
    edit "RAD"
        set secret ENC FortiRadiusEnc73
    next
end
config vpn certificate local
    edit "cert"
        set private-key "-----BEGIN ENCRYPTED PRIVATE KEY-----
FortiPrivateKeyBody74
-----END ENCRYPTED PRIVATE KEY-----"
    next
end
"""

SECRETS = {
    "cisco_ios": ["EnAbLeHaSh0001", "S3cr3tEnable", "AdMiNhAsH0002", "Pl@inText", "0822455D0A16",
                  "Xq7CommunityRO", "TrapCommunity9", "AuthPassw0rd", "PrivPassw0rd", "TacacsKey0042",
                  "RadiusKey0043", "BlockTacacsKey44", "BlockRadiusKey45", "IsakmpPsk0046",
                  "KeyringPsk0047", "Ikev2Local0048", "Ikev2Remote0049", "OspfMd5Key50", "OspfAuthKey51",
                  "HsrpKey0052", "BgpPassword53", "KeyChainString54", "NtpKey00055", "LinePassword56"],
    "cisco_asa": ["AsaEnable0060", "AsaPasswd0061", "AsaUserPass62", "AsaSnmpHost63", "AsaCommunity64",
                  "AsaAaaKey0065", "AsaIkev1Psk66", "AsaIkev2Rem67", "AsaIkev2Loc68", "AsaFailover069",
                  # what more system:running-config (the backup's command) shows in clear
                  "AsaSnmpPoll80", "AsaSnmpAuth81", "AsaSnmpPriv82", "AsaRadiusKey83", "AsaRadiusPw084",
                  "AsaLdapPw0085", "AsaNtpKey0086", "AsaVpdnPw0087", "AsaOspfKey088", "AsaEigrpKey89",
                  "AsaBgpPw0090"],
    "fortinet": ["FortiAdminEnc0070", "FortiCommunity71", "FortiPskEnc0072", "FortiRadiusEnc73",
                 "FortiPrivateKeyBody74"],
}
CASES = {"cisco_ios": IOS, "cisco_asa": ASA, "fortinet": FORTI}


@pytest.mark.parametrize("platform", sorted(CASES))
def test_every_secret_is_masked_once(platform: str) -> None:
    raw = CASES[platform]
    assert all(secret in raw for secret in SECRETS[platform])
    clean = sanitize(raw, get_platform(platform))
    assert [s for s in SECRETS[platform] if s in clean] == []
    assert clean.count(MASK) == len(SECRETS[platform])


@pytest.mark.parametrize("platform", sorted(CASES))
def test_sanitizing_twice_changes_nothing(platform: str) -> None:
    once = sanitize(CASES[platform], get_platform(platform))
    assert sanitize(once, get_platform(platform)) == once


def test_ios_volatile_lines_are_dropped_and_structure_kept() -> None:
    clean = sanitize(IOS, get_platform("cisco_ios"))
    for gone in ("Building configuration", "Current configuration", "Last configuration change",
                 "NVRAM config last updated", "ntp clock-period"):
        assert gone not in clean
    assert clean.startswith("version 17.6\nhostname so-tttt-r1\n")
    assert "username support privilege 15 password 0 <removed>" in clean  # plaintext still visible
    assert "enable secret 9 <removed>" in clean
    assert "ntp authentication-key 1 md5 <removed> 7" in clean
    assert " key 1\n" in clean  # a key-chain key number is not a secret
    assert clean.endswith("end\n")


def test_unchanged_device_gives_identical_text_despite_volatile_lines() -> None:
    platform = get_platform("cisco_ios")
    later = (IOS.replace("2048 bytes", "2051 bytes").replace("10:11:12 ICT", "11:00:00 ICT")
             .replace("17179869", "17179870")).replace("\n", "\r\n")
    assert sanitize(later, platform) == sanitize(IOS, platform)
    forti = get_platform("fortinet")
    assert sanitize(FORTI.replace("123456789", "123456790"), forti) == sanitize(FORTI, forti)
    other_user = FORTI.replace(":user=admin\n", ":user=tslcd-push\n")
    assert sanitize(other_user, forti) == sanitize(FORTI, forti)
    header = "#config-version=FG100F-7.02.08-FW-build1639-240313:opmode=0:vdom=0\n"
    assert sanitize(FORTI, forti).startswith(header)  # the firmware stays on record
    asa = get_platform("cisco_asa")
    changed = ASA.replace("10:11:12.345", "12:00:00.000").replace("0123456789abcdef0", "fedcba98765432100")
    assert sanitize(changed, asa) == sanitize(ASA, asa)


def test_header_blanked_by_napalm_matches_the_plain_one() -> None:
    """NAPALM's get_config empties volatile header lines instead of dropping them."""
    platform = get_platform("cisco_ios")
    plain = "!\nversion 17.6\nhostname r1\n!\nend\n"
    blanked = "\n\n!\n\n!\nversion 17.6\nhostname r1\n!\nend"
    assert sanitize(blanked, platform) == sanitize(plain, platform) == "version 17.6\nhostname r1\n!\nend\n"


def test_default_communities_stay_visible_for_the_audit() -> None:
    assert "snmp-server community public RO" in sanitize(IOS, get_platform("cisco_ios"))
    assert 'set name "public"' in sanitize(FORTI, get_platform("fortinet"))
    assert 'set name-must-not-be-masked "x"' in sanitize(FORTI, get_platform("fortinet"))


def test_fortios_multi_line_private_key_is_masked_whole() -> None:
    clean = sanitize(FORTI, get_platform("fortinet"))
    assert 'set private-key "<removed>"' in clean
    assert "BEGIN ENCRYPTED" not in clean


def test_every_platform_has_patterns() -> None:
    for platform in PLATFORMS.values():
        assert platform.secret_patterns and platform.volatile_patterns, platform.name
