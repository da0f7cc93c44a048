"""Builds platform-specific .vsix files that carry the ctx-lsp server and its dependencies.

    python3 build_vsix.py                       # the target of this machine, into dist-vsix/
    python3 build_vsix.py --target linux-x64 --target darwin-arm64
    python3 build_vsix.py --target all

For each target, `bundled/libs/` is filled from PyPI with pip (at packaging time only; the
extension never touches the network): `common/` holds the pure-Python packages, the
ctx_lsp package copied from this checkout and tree-sitter-go (one abi3 wheel for every
Python 3.10+); `cp311/` to `cp314/` hold tree-sitter, whose wheels are per Python version.
The extension runs `<python> -P -m ctx_lsp serve` with PYTHONPATH set to the directory of
the interpreter's version and `common/`. Then `vsce package --target` writes
dist-vsix/ctx-lsp-<target>.vsix (vsce runs the production esbuild build first).

Needs node_modules (npm ci) and a Python with pip; uses the same pip settings as the
machine (index, constraints).
"""

from __future__ import annotations

import argparse
import platform
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BUNDLE = HERE / "bundled"
LIBS = BUNDLE / "libs"
REQUIREMENTS = HERE / "bundle-requirements.txt"
OUT_DIR = HERE / "dist-vsix"

# The Python versions the bundle serves (the project needs 3.11+); tree-sitter has one
# wheel per version, so each gets a directory.
PYTHON_VERSIONS = ("3.11", "3.12", "3.13", "3.14")
PER_VERSION_PACKAGES = ("tree-sitter",)

# vsce target -> pip platform tags accepted for it (newest policy first does not matter:
# pip takes any wheel whose tag is listed).
TARGETS: dict[str, tuple[str, ...]] = {
    "linux-x64": ("manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_5_x86_64", "manylinux1_x86_64"),
    "linux-arm64": ("manylinux2014_aarch64", "manylinux_2_17_aarch64"),
    "alpine-x64": ("musllinux_1_2_x86_64", "musllinux_1_1_x86_64"),
    "darwin-x64": ("macosx_10_9_x86_64", "macosx_10_13_x86_64", "macosx_11_0_x86_64"),
    "darwin-arm64": ("macosx_11_0_arm64",),
    "win32-x64": ("win_amd64",),
    "win32-arm64": ("win_arm64",),
}


def host_target() -> str:
    machine = platform.machine().lower()
    arch = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)
    system = {"linux": "linux", "darwin": "darwin", "win32": "win32"}.get(sys.platform, sys.platform)
    if system == "linux" and Path("/etc/alpine-release").exists():
        system = "alpine"
    return f"{system}-{arch}"


def requirement_lines() -> list[str]:
    lines = [line.split("#", 1)[0].strip() for line in REQUIREMENTS.read_text().splitlines()]
    return [line for line in lines if line]


def is_per_version(requirement: str) -> bool:
    name = requirement.split("==", 1)[0].strip().lower().replace("_", "-")
    return name in PER_VERSION_PACKAGES


def pip_install(target_dir: Path, platforms: tuple[str, ...], python_version: str, requirements: list[str]) -> None:
    command = [
        sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--root-user-action=ignore",
        "--target", str(target_dir), "--no-compile", "--no-deps", "--only-binary=:all:",
        "--implementation", "cp", "--python-version", python_version,
    ]
    for tag in platforms:
        command += ["--platform", tag]
    subprocess.run([*command, *requirements], check=True)


def bundle_server(target: str) -> None:
    """Fills bundled/libs for `target` from PyPI and the checkout."""
    platforms = TARGETS[target]
    shutil.rmtree(BUNDLE, ignore_errors=True)
    requirements = requirement_lines()
    common = [r for r in requirements if not is_per_version(r)]
    per_version = [r for r in requirements if is_per_version(r)]
    # --no-deps with the full pinned list: exactly these versions, nothing resolved anew.
    pip_install(LIBS / "common", platforms, PYTHON_VERSIONS[0], common)
    for version in PYTHON_VERSIONS:
        pip_install(LIBS / f"cp{version.replace('.', '')}", platforms, version, per_version)
    shutil.copytree(REPO / "ctx_lsp", LIBS / "common" / "ctx_lsp",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    for leftover in LIBS.rglob("bin"):  # console scripts written for this machine's Python
        if leftover.parent.parent == LIBS:
            shutil.rmtree(leftover)
    (BUNDLE / "target.txt").write_text(target + "\n")


def package(target: str) -> Path:
    OUT_DIR.mkdir(exist_ok=True)
    shutil.copyfile(REPO / "LICENSE", HERE / "LICENSE")
    out = OUT_DIR / f"ctx-lsp-{target}.vsix"
    npx = shutil.which("npx") or "npx"
    subprocess.run(
        [npx, "--no-install", "vsce", "package", "--target", target, "--no-dependencies",
         "--allow-missing-repository", "--out", str(out)],
        cwd=HERE, check=True,
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", action="append", choices=[*TARGETS, "all"],
                        help="vsce target (repeatable); default: this machine's")
    arguments = parser.parse_args(argv)
    targets = arguments.target or [host_target()]
    if "all" in targets:
        targets = list(TARGETS)
    for target in targets:
        if target not in TARGETS:
            parser.error(f"no bundle for this machine ({target}); choose one of {', '.join(TARGETS)}")
        bundle_server(target)
        vsix = package(target)
        print(f"{vsix.relative_to(HERE)}: {vsix.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
