"""The HTML report as an inspector gets it: rendered by a real browser (headless Chromium), printed
to PDF on A4 with the Vietnamese diacritics intact, and a screenshot a person can look at."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tslcd.compliance.report import render_html
from tslcd.services.compliance import run_compliance

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
needs_browser = pytest.mark.skipif(
    not (CHROMIUM and shutil.which("pdfinfo") and shutil.which("pdftotext")),
    reason="needs chromium and poppler-utils (apt-get install chromium poppler-utils)")
A4_POINTS = (595.0, 842.0)


def _chromium(*args: str, cwd: Path) -> None:
    assert CHROMIUM
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    "--no-first-run", f"--user-data-dir={cwd / 'profile'}", *args],
                   cwd=cwd, check=True, capture_output=True, timeout=120)


@needs_browser
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_report_prints_on_a4_with_diacritics(lab_project, tmp_path: Path, lang: str) -> None:
    config, _ = lab_project
    result = run_compliance(config, "attt-cap-do", filters=["district=an-phu|tinh-bien"], record=False)
    page = tmp_path / "report.html"
    page.write_text(render_html(result, lang, "Ủy ban nhân dân tỉnh An Giang"), encoding="utf-8")
    pdf, png = tmp_path / "report.pdf", tmp_path / "report.png"
    _chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri(), cwd=tmp_path)
    _chromium("--window-size=1240,1754", f"--screenshot={png}", page.as_uri(), cwd=tmp_path)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size:")).split()
    assert (round(float(size[2])), round(float(size[4]))) == tuple(round(v) for v in A4_POINTS), info
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Ủy ban nhân dân huyện An Phú" in text and "ỦY BAN NHÂN DÂN TỈNH AN GIANG" in text
    if lang == "vi":
        assert "Không đạt" in text and "Đạt" in text and "Cần kiểm tra thủ công" in text
        assert "Phiên quản trị tự ngắt khi không hoạt động" in text
    else:
        assert "Fail" in text and "Manual check needed" in text
    # ubnd-tb-r1's planted violation, quoted from its backup (pdftotext drops the hyphens)
    assert "exectimeout 0 0" in text.replace("-", "")
    assert png.stat().st_size > 20_000


def test_device_text_is_shown_not_interpreted(lab_project) -> None:
    config, _ = lab_project
    result = run_compliance(config, "attt-cap-do", filters=["ubnd-tb-r1"], record=False)
    verdict = next(v for v in result.devices[0].verdicts if v.control.id == "CD-MANG-03")
    verdict.evidence[0] = type(verdict.evidence[0])("<script>alert(1)</script> \x1b]52;c;AAAA\x07 <removed>",
                                                   5, "backups/x.cfg")
    html = render_html(result, "vi", "<b>UBND</b>")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert "&lt;removed&gt;" in html and "\x1b" not in html and "\\x1b]52;c;AAAA\\x07" in html
    assert "<b>UBND</b>" not in html
