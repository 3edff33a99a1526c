"""Every PAN-OS secret is masked before a backup is stored, in each form the firewall lists its
configuration (set, brace, XML); default SNMP communities stay visible (they are findings)."""

from __future__ import annotations

import pytest

from tslcd.platforms import get_platform
from tslcd.sanitize import sanitize

PANOS = get_platform("paloalto_panos")

#: (set-format path ending in the secret word, the secret): one per PAN-OS secret keyword.
SECRETS = [
    ("set mgt-config users admin phash", "$5$abcdefgh$PhashSecret0001"),
    ("set mgt-config users netops password", "ClearPassword0002"),
    ("set shared local-user-database user u1 phash", "$1$xyz$LocalUserHash0003"),
    ("set shared local-user-database user u2 password-hash", "$1$xyz$PasswordHash0004"),
    ("set network ike gateway GW authentication pre-shared-key key", "-AQ==IkePsk0005="),
    ("set network tunnel ipsec T1 manual-key esp authentication sha1 key", "-AQ==ManualKey0006="),
    ("set shared server-profile radius R1 server s1 secret", "-AQ==RadiusSecret0007="),
    ("set shared server-profile tacplus T1 server s1 secret", "-AQ==TacacsSecret0008="),
    ("set shared server-profile ldap L1 bind-password", "-AQ==LdapBind0009="),
    ("set shared certificate web private-key", '"-----BEGIN RSA PRIVATE KEY-----MIIEPrivate0010"'),
    ("set shared certificate web private-key-passphrase", "Passphrase0011"),
    ("set deviceconfig system snmp-setting access-setting version v2c snmp-community-string",
     "CommunityRo0012"),
    ("set shared log-settings snmptrap T1 version v2c server s1 community", "TrapCommunity0013"),
    ("set deviceconfig system snmp-setting access-setting version v3 users u1 authpwd",
     "-AQ==SnmpAuth0014="),
    ("set deviceconfig system snmp-setting access-setting version v3 users u1 privpwd",
     "-AQ==SnmpPriv0015="),
    ("set network virtual-router vr1 protocol bgp auth-profile A1 secret", "-AQ==BgpSecret0016="),
    ("set network virtual-router vr1 protocol ospf auth-profile A2 password", "-AQ==Jan8Q2Hw3pnWb0017="),
    ("set network virtual-router vr1 protocol ospf auth-profile A3 md5 1 key", "-AQ==OspfMd5Key0018="),
    ("set deviceconfig system ntp-servers primary-ntp-server authentication-type symmetric-key "
     "algorithm sha1 authentication-key", "NtpKey0019"),
    ("set deviceconfig system secure-proxy-password", "ProxyPassword0020"),
    ("set shared api-key", "LUFRPT1ApiKey0021="),
    ("set deviceconfig high-availability group election-option auth-key", "HaKey0022"),
    ("set shared local-user-database user u3 passphrase", "UserPassphrase0023"),
    ("set deviceconfig system shared-secret", "SharedSecret0024"),
]


@pytest.mark.parametrize(("path", "secret"), SECRETS, ids=[p.split()[-1] for p, _ in SECRETS])
def test_every_secret_keyword_is_masked_in_set_brace_and_xml_form(path: str, secret: str) -> None:
    word = path.split()[-1]
    text = f"set deviceconfig system hostname PA-VM\n{path} {secret}\n"
    assert sanitize(text, PANOS) == f"set deviceconfig system hostname PA-VM\n{path} <removed>\n"
    brace = f"config {{\n  {word} {secret};\n}}\n"
    assert secret.strip('"') not in sanitize(brace, PANOS)
    xml = f"<config>\n  <{word}>{secret.strip(chr(34))}</{word}>\n</config>\n"
    assert sanitize(xml, PANOS) == f"<config>\n  <{word}><removed></{word}>\n</config>\n"


def test_default_communities_and_lookalike_words_stay() -> None:
    kept = ("set deviceconfig system snmp-setting access-setting version v2c snmp-community-string public\n"
            "set shared certificate web public-key MIIBCgKCAQEA\n"
            "set mgt-config password-complexity minimum-length 12\n"
            "set rulebase security rules KEY-SERVERS description \"key servers\"\n"
            "<snmp-community-string>private</snmp-community-string>\n")
    assert sanitize(kept, PANOS) == kept


def test_a_private_key_spanning_lines_in_xml_is_masked_whole() -> None:
    xml = ("<entry name=\"web\">\n  <private-key>-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsecret\n"
           "-----END RSA PRIVATE KEY-----</private-key>\n</entry>\n")
    masked = sanitize(xml, PANOS)
    assert "MIIEowIBAAKCAQEAsecret" not in masked and "<private-key><removed></private-key>" in masked


def test_the_lab_firewall_backup_holds_no_secret() -> None:
    from tslcd.lab.models.panos import PanosDevice
    from tslcd.lab.models.panos_initial import SUPPORTED

    host = {"name": "sxd-fw1", "hostname": "127.21.11.2", "agency_code": "SXD"}
    raw = PanosDevice("sxd-fw1", host, None, tuple(sorted(SUPPORTED - {"snmp-public"}))).running_config()
    stored = sanitize(raw, PANOS)
    assert "phash <removed>" in stored and "pre-shared-key key <removed>" in stored
    assert "snmp-community-string <removed>" in stored
    assert "tslcd-ro-sxd" not in stored and "$5$" not in stored and "psk==" not in stored
