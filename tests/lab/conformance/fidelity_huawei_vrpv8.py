"""How closely the lab VRP V8 router behaves like a real one: the V5 figures on a V8 device (its
``display version`` against the real VRP 8 samples, each accepted line committed), plus
``commit-confirm``.

``commit-confirm`` steps, as Huawei's command reference describes the configuration trial run
(``commit trial [time]``, 60-65535 seconds; ``abort trial``): a trial commit applies the
candidate and says when it reverts; ``commit`` during the trial confirms it (nothing reverts when
the time is up); an unconfirmed trial reverts by itself when the time is up; ``abort trial``
reverts at once; a time outside 60-65535 is refused; ``abort trial`` without a trial is refused;
leaving system view with uncommitted lines asks what to do with them.
"""

from __future__ import annotations

import time

from tests.lab.conformance import fidelity_huawei as v5
from tests.lab.conformance.fidelity import Figure
from tslcd.lab.models import base
from tslcd.lab.models.huawei import HuaweiV8Device
from tslcd.lab.models.huawei_session import HuaweiSession

HOST = {**v5.HOST, "name": "ubnd-ts-r1", "hostname": "127.22.10.1", "platform": "huawei_vrpv8"}
SCALE = 600.0  # lab seconds per real second while measuring: a 60 s trial takes 0.1 s


def session() -> HuaweiSession:
    """A session in system view on a fresh lab NE router."""
    return v5.session(HuaweiV8Device(HOST["name"], HOST))


def _wait(seconds: float) -> None:
    time.sleep(seconds / SCALE + 0.05)


def _sysname(cli: HuaweiSession) -> str:
    return cli.device.hostname


def confirm_steps() -> Figure:
    """Commit-confirm steps behaving as the command reference says."""
    results = []
    cli = session()
    cli.handle("sysname TRIAL-A")
    answer = cli.handle("commit trial 60")
    results.append(_sysname(cli) == "TRIAL-A" and "not confirmed in 60 seconds" in answer)
    results.append(cli.prompt() == "[~TRIAL-A]")
    results.append(cli.handle("commit").startswith("Info:"))
    _wait(61)
    results.append(_sysname(cli) == "TRIAL-A")
    cli.handle("sysname TRIAL-B")
    cli.handle("commit trial 60")
    _wait(61)
    cli.prompt()  # the device answers: the timer has fired
    results.append(_sysname(cli) == "TRIAL-A")
    cli.handle("sysname TRIAL-C")
    cli.handle("commit trial 600")
    results.append("Succeeded" in cli.handle("abort trial") and _sysname(cli) == "TRIAL-A")
    results.append(bool(v5.REFUSED.search(cli.handle("commit trial 59"))))
    results.append(bool(v5.REFUSED.search(cli.handle("commit trial 65536"))))
    results.append(cli.handle("abort trial").startswith("Error:"))
    cli.handle("sysname TRIAL-D")
    cli.handle("return")
    results.append("Uncommitted configurations found" in cli.prompt())
    return sum(results), len(results)


def measure() -> dict[str, Figure]:
    """Every figure of the lab VRP V8 router."""
    cli = session()
    commands, fields = v5.display_figures(cli.handle, v5._acl_lab, generation="8")
    good, typos = v5.real_config_lines()
    accepted_figure, accepted = v5.typed(good, session, commit=True)
    broken = [b for line in accepted if not line.startswith("acl ")
              for b in v5.broken_variants(line.strip(), v5.BREAK)]
    base.set_time_scale(SCALE)
    try:
        confirm = confirm_steps()
    finally:
        base.set_time_scale(1.0)
    return {"commands": commands, "template fields": fields, "real lines accepted": accepted_figure,
            "invalid lines rejected": v5.rejected(typos + broken, session), "commit-confirm": confirm}
