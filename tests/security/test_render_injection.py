"""Change variables cannot inject device commands, and a runaway template cannot eat the machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from tslcd.inventory import load_inventory
from tslcd.push.render import ChangeVars, Renderer, RenderError

from .conftest import Project

INJECTION = "tslcd-netops\nenable secret 0 owned\nusername evil privilege 15 secret 0 x"


def _renderer(project: Project, template: str, name: str = "probe",
              variables: dict | None = None) -> tuple[Renderer, object]:
    (project.root / "templates" / "cisco_ios" / f"{name}.j2").write_text(template, encoding="utf-8")
    config = project.config()
    inventory = load_inventory(config)
    return (Renderer(config.templates_dir, name, inventory, ChangeVars(shared=variables or {})),
            inventory.hosts["stc-r1"])


@pytest.mark.parametrize("breaker", ["\n", "\r", "\r\n", "\u2028", "\x0b"])
def test_line_break_in_a_variable_is_refused(project: Project, breaker: str) -> None:
    bad = INJECTION.replace("\n", breaker)
    renderer, host = _renderer(project, "username {{ admin_user }} privilege 15\n",
                               variables={"admin_user": bad})
    with pytest.raises(RenderError) as caught:
        renderer.render(host)
    message = str(caught.value)
    assert "stc-r1" in message and "'admin_user'" in message and "line break" in message
    assert "tslcd: multiline admin_user" in message  # tells how to allow it on purpose


def test_line_break_nested_and_from_inventory_data(project: Project) -> None:
    renderer, host = _renderer(project, "{% for u in users %}username {{ u.name }}\n{% endfor %}",
                               variables={"users": [{"name": "a"}, {"name": "b\nenable secret 0 x"}]})
    with pytest.raises(RenderError, match=r"'users\[1\]\.name' contains a line break"):
        renderer.render(host)
    project.edit("hosts.yaml", "    agency_name: Sở Tài chính\n",
                 '    agency_name: "Sở Tài chính\\nno aaa new-model"\n')
    renderer, host = _renderer(project, "description {{ agency_name }}\n")
    with pytest.raises(RenderError, match="'agency_name' contains a line break"):
        renderer.render(host)


def test_marked_multiline_variable_is_allowed(project: Project) -> None:
    template = ("{# tslcd: multiline banner_text #}\nbanner motd ^C\n{{ banner_text }}\n^C\n"
                "hostname {{ name }}\n")
    renderer, host = _renderer(project, template,
                               variables={"banner_text": "CẢNH BÁO\nChỉ cán bộ được cấp quyền"})
    assert "CẢNH BÁO\nChỉ cán bộ được cấp quyền\n^C" in renderer.render(host).text


def test_line_break_reaching_an_included_template(project: Project) -> None:
    (project.root / "templates" / "cisco_ios" / "part.inc").write_text("username {{ admin_user }}\n")
    renderer, host = _renderer(project, "{% include 'cisco_ios/part.inc' %}\n",
                               variables={"admin_user": INJECTION})
    with pytest.raises(RenderError, match="'admin_user' contains a line break"):
        renderer.render(host)


def test_unused_multiline_data_does_not_block(project: Project) -> None:
    renderer, host = _renderer(project, "hostname {{ name }}\n", variables={"notes": "a\nb"})
    assert renderer.render(host).text == "hostname stc-r1\n"


@pytest.mark.parametrize(("template", "line", "why"), [
    ("ok\n{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n", 2,
     "loop iterations"),
    ("a\nb\n{{ 'x' * 1000000000 }}\n", 3, "repetition"),
    ("{{ 2 ** 100000 }}\n", 1, "power"),
    ("{{ '%900000000s' % 'x' }}\n", 1, "format width"),
    ("{{ 'x' | center(900000000) }}\n", 1, "center width"),
    ("x\n{% for i in range(99999) %}{{ 'y' * 99999 }}{% endfor %}\n", 2, "output larger"),
    ("{{ ''.__class__.__mro__ }}\n", 1, "unsafe"),
])
@pytest.mark.timeout(30)  # a hang guard; how fast the bound stops a template: bench/security.py
def test_runaway_template_stops_naming_template_and_line(project: Project, template: str, line: int,
                                                         why: str) -> None:
    renderer, host = _renderer(project, template)
    with pytest.raises(RenderError) as caught:
        renderer.render(host)
    message = str(caught.value)
    assert "cisco_ios/probe.j2" in message and f"line {line}" in message and why in message, message


def test_recursive_macro_stops(project: Project) -> None:
    renderer, host = _renderer(project, "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}\n")
    with pytest.raises(RenderError, match="nested too deeply"):
        renderer.render(host)


def test_cli_render_refuses_injection(project: Project, tmp_path: Path) -> None:
    variables = tmp_path / "vars.yaml"
    text = (project.root / "templates" / "change.example.yaml").read_text(encoding="utf-8")
    variables.write_text(text.replace("admin_user: tslcd-netops",
                                      'admin_user: "tslcd-netops\\nenable secret 0 owned"'),
                         encoding="utf-8")
    result = project.tslcd("render", "baseline", "-f", "stc-r1", "--vars", str(variables))
    assert result.exit_code == 2, result.stdout
    assert "'admin_user' contains a line break" in result.stderr and "Traceback" not in result.stderr
    assert "owned" not in result.stdout
