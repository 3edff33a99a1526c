"""Every secret a VRP configuration can hold is masked; algorithm names and the well-known
communities (audit findings, not secrets) stay visible; volatile header lines are dropped."""

from __future__ import annotations

import pytest

from tslcd.platforms import get_platform
from tslcd.sanitize import MASK, sanitize

# Shaped like VRP V5/V8 `display current-configuration` (Huawei command references; Oxidized's
# vrp model masks the %^%# form). Each secret value is unique so a leak is named.
VRP = """!Software Version V300R019C10SPC300
!Last configuration was updated at 2026-12-05 05:40:00+00:00 by admin
!Last configuration was saved at 2026-12-05 05:41:00+00:00 by admin
#
sysname ubnd-pt-r1
#
set save-configuration backup-to-server server 10.0.10.9 user backups password %^%#BlobSaveSrv01%^%# path hw
#
super password level 15 cipher SuperCipher02
#
aaa
 local-user admin password irreversible-cipher $1c$IrrevLocal03$
 local-user ops password cipher LocalCipher04
 local-user guest password simple LocalSimple05
 local-user old password OldPlainPw06
#
hwtacacs-server template TAC
 hwtacacs-server shared-key cipher TacacsKey07
#
radius-server template RAD
 radius-server shared-key cipher RadiusKey08
 radius-server shared-key RadiusPlain09
#
snmp-agent community read cipher SnmpReadC10
snmp-agent community write cipher SnmpWriteC11
snmp-agent community read SnmpReadPl12
snmp-agent community read public
snmp-agent usm-user v3 nms authentication-mode sha cipher UsmAuth13 privacy-mode aes128 cipher UsmPriv14
#
ike peer BRANCH
 pre-shared-key cipher IkePskC15
ike peer OLD
 pre-shared-key simple IkePskS16
#
ospf 1
 area 0.0.0.0
  authentication-mode md5 1 cipher OspfMd5C17
  authentication-mode simple plain OspfSimp18
#
interface GigabitEthernet0/0/0
 ospf authentication-mode hmac-sha256 2 cipher IfHmac19
 ospf authentication-mode md5 3 IfMd5Plain20
#
bgp 65010
 peer 10.254.0.1 password cipher BgpCipher21
 peer 10.254.0.5 password simple BgpSimple22
#
isis 1
 isis authentication-mode md5 cipher IsisKey23
#
ntp-service authentication-keyid 1 authentication-mode md5 cipher NtpKey24
#
user-interface con 0
 authentication-mode password
 set authentication password cipher ConsolePw25
#
l2tp-group 1
 tunnel password cipher L2tpPw26
#
dldp authentication-mode simple DldpKey27
#
ssh server cipher aes256_ctr aes128_ctr
ssh client cipher aes256_ctr
#
return
"""
SECRETS = [f"{name}{n:02d}" for n, name in enumerate(
    ["BlobSaveSrv", "SuperCipher", "IrrevLocal", "LocalCipher", "LocalSimple", "OldPlainPw",
     "TacacsKey", "RadiusKey", "RadiusPlain", "SnmpReadC", "SnmpWriteC", "SnmpReadPl", "UsmAuth",
     "UsmPriv", "IkePskC", "IkePskS", "OspfMd5C", "OspfSimp", "IfHmac", "IfMd5Plain", "BgpCipher",
     "BgpSimple", "IsisKey", "NtpKey", "ConsolePw", "L2tpPw", "DldpKey"], start=1)]


@pytest.mark.parametrize("platform", ["huawei", "huawei_vrpv8"])
def test_every_vrp_secret_is_masked_once(platform: str) -> None:
    assert all(secret in VRP for secret in SECRETS)
    clean = sanitize(VRP, get_platform(platform))
    assert [s for s in SECRETS if s in clean] == []
    assert clean.count(MASK) == len(SECRETS)
    assert "snmp-agent community read public" in clean  # a finding, not a secret
    assert "ssh server cipher aes256_ctr aes128_ctr" in clean  # algorithms, not a secret
    assert "!Last configuration" not in clean and "!Software Version" not in clean
    assert sanitize(clean, get_platform(platform)) == clean
