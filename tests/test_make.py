"""`make test` brings what the tests need: the `system-deps` step of the Makefile.

Run against a missing chromium path and a fake apt-get (both Makefile variables), so
nothing is installed and the real /usr/bin/chromium is never touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")

FAKE_APT = """#!/bin/sh
echo "apt $*" >> "$FAKE_LOG"
case "$*" in *install*) [ -n "$FAKE_CREATE" ] && printf '#!/bin/sh\\n' > "$FAKE_CREATE" && chmod +x "$FAKE_CREATE" ;; esac
exit ${FAKE_RC:-0}
"""
FAKE_SUDO = """#!/bin/sh
echo "sudo $*" >> "$FAKE_LOG"
exec "$@"
"""


def _script(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    return path


def _make(tmp_path: Path, *variables: str, ci: bool = False, create: bool = True, rc: int = 0) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    log = tmp_path / "log"
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "MAKEFLAGS", "MAKELEVEL")}
    env.update(FAKE_LOG=str(log), FAKE_RC=str(rc), FAKE_CREATE=str(tmp_path / "chromium") if create else "")
    if ci:
        env["CI"] = "true"
    apt = _script(tmp_path / "apt-get", FAKE_APT)
    cmd = ["make", "-s", "-C", str(ROOT), "system-deps", f"CHROMIUM={tmp_path / 'chromium'}", f"APT_GET={apt}", *variables]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=60)
    return done, log.read_text(encoding="utf-8").splitlines() if log.exists() else []


def test_nothing_to_do_when_chromium_is_there(tmp_path: Path) -> None:
    _script(tmp_path / "chromium", "#!/bin/sh\n")
    done, calls = _make(tmp_path)
    assert done.returncode == 0, done.stderr
    assert calls == [] and done.stderr == ""


def test_root_installs_with_apt(tmp_path: Path) -> None:
    done, calls = _make(tmp_path, "AS_ROOT=yes")
    assert done.returncode == 0, done.stderr
    assert calls == ["apt update -qq", "apt install -y -qq chromium"]
    assert (tmp_path / "chromium").exists()


def test_user_with_sudo_installs_through_sudo(tmp_path: Path) -> None:
    sudo = _script(tmp_path / "sudo", FAKE_SUDO)
    done, calls = _make(tmp_path, "AS_ROOT=", f"SUDO={sudo}")
    assert done.returncode == 0, done.stderr
    assert [c for c in calls if c.startswith("sudo")] == [
        f"sudo {tmp_path / 'apt-get'} update -qq",
        f"sudo env DEBIAN_FRONTEND=noninteractive {tmp_path / 'apt-get'} install -y -qq chromium",
    ]


@pytest.mark.parametrize("ci", [False, True])
def test_user_without_sudo_gets_one_line_naming_the_command(tmp_path: Path, ci: bool) -> None:
    done, calls = _make(tmp_path, "AS_ROOT=", f"SUDO={tmp_path / 'no-sudo'}", ci=ci)
    assert calls == []
    lines = [line for line in done.stderr.splitlines() if line.startswith("make test:")]
    assert len(lines) == 1 and "install -y chromium" in lines[0] and "missing" in lines[0]
    # under CI the browser test would fail, so make test stops here; elsewhere that test skips
    assert (done.returncode != 0) == ci


def test_failed_install_is_an_error(tmp_path: Path) -> None:
    done, _ = _make(tmp_path, "AS_ROOT=yes", rc=100)
    assert done.returncode != 0
    assert "could not install chromium" in done.stderr
    done, _ = _make(tmp_path, "AS_ROOT=yes", create=False)
    assert done.returncode != 0
    assert "still missing" in done.stderr


def test_make_test_runs_the_system_step_and_ci_calls_make_test() -> None:
    plan = subprocess.run(
        ["make", "-n", "-C", str(ROOT), "test", "CHROMIUM=/bin/sh"],
        capture_output=True, text=True, timeout=60, env={k: v for k, v in os.environ.items() if k != "MAKEFLAGS"},
    )
    assert plan.returncode == 0, plan.stderr
    assert '[ -x "/bin/sh" ]' in plan.stdout and "-m pytest" in plan.stdout
    assert plan.stdout.index('[ -x "/bin/sh" ]') < plan.stdout.index("-m pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci and "apt-get" not in ci
