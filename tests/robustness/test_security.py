"""ctx-lsp treats the analyzed workspace as data, never as code or as instructions.

The CLI (check and --fix) and the language server run in a subprocess with a Python audit hook
that records every process start, import, file write, rename, deletion and network call. They
are pointed at a hostile workspace: Python files named like the modules ctx-lsp imports, a
``.ctx-lsp.toml`` full of command-like settings, ``//go:generate`` and cgo directives, a
go.mod naming a toolchain, directory and file symlinks leading out of the workspace, a FIFO
and a device posing as Go files. The record must show no process, no import from the
workspace, no network use, and writes only to the files being fixed (through a temporary file
beside each).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from tests.robustness._rpc import RawClient, capabilities

LEAK = b'package p\n\nimport "context"\n\nfunc f(p context.Context) {\n\tctx, _ := context.WithCancel(p)\n\t_ = ctx\n}\n'
PWNED = "PWNED"

# Runs ctx-lsp under an audit hook; the hook appends one JSON line per interesting event.
RUNNER = textwrap.dedent('''
    import json, os, sys
    log = open(sys.argv[1], "a", buffering=1)
    INTERESTING = ("subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "pty.",
                   "os.rename", "os.remove", "os.rmdir", "os.unlink", "os.chmod", "os.chown", "os.mkdir",
                   "os.symlink", "os.link", "os.truncate", "shutil.", "tempfile.", "socket.connect",
                   "socket.bind", "socket.getaddrinfo", "socket.sendto", "urllib.", "http.", "ctypes.dlopen",
                   "webbrowser.", "import", "open", "compile", "exec", "ctx_lsp.")

    def describe(value):
        if isinstance(value, (str, int, float, bool)) or value is None:
            return value
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace")
        filename = getattr(value, "co_filename", None)
        return {"code": filename} if filename is not None else repr(type(value))

    def hook(event, args):
        if not event.startswith(INTERESTING):
            return
        if event == "open" and not (len(args) > 2 and isinstance(args[2], int) and args[2] & (os.O_WRONLY | os.O_RDWR)):
            if not (len(args) > 1 and isinstance(args[1], str) and any(c in args[1] for c in "wax+")):
                return  # reading is fine
        if event == "import":
            args = (args[0], args[1])
        if event == "compile":
            args = (args[1],)
        log.write(json.dumps({"event": event, "args": [describe(a) for a in args]}) + "\\n")

    sys.addaudithook(hook)
    mode = sys.argv[2]
    if mode == "cli":
        from ctx_lsp.cli import main
        sys.exit(main(sys.argv[3:]))
    from ctx_lsp.lsp.serve import main
    sys.exit(main([]))
''')


def _hostile_workspace(root: Path, outside: Path) -> Path:
    workspace = root / "workspace"
    (workspace / "pkg").mkdir(parents=True)
    marker = f"open({str(root / PWNED)!r}, 'a').write(__name__ + '\\n')\n"
    for name in ("attrs.py", "json.py", "ctx_lsp.py", "tree_sitter.py", "sitecustomize.py", "usercustomize.py",
                 "conftest.py", "setup.py", "__main__.py", "go.py", "gofmt.py", "typing.py", "pkg/__init__.py"):
        (workspace / name).write_text(marker)
    (workspace / "ctx_lsp_plugins").mkdir()
    (workspace / "ctx_lsp_plugins" / "__init__.py").write_text(marker)
    (workspace / ".ctx-lsp.toml").write_text(textwrap.dedent(f"""
        command = "touch {root / PWNED}"
        go-command = "sh -c 'touch {root / PWNED}'"
        gopls = {{ path = "{root / PWNED}" }}
        plugins = ["ctx_lsp_plugins", "attrs"]
        max-file-bytes = "1; touch {root / PWNED}"
        [rules]
        lostcancel = "$(touch {root / PWNED})"
        forced-gc = "on"
    """))
    (workspace / "go.mod").write_text("module example.com/hostile\n\ngo 1.24\n\ntoolchain go1.99.0\n\n"
                                      "replace example.com/x => ../../../../etc\n")
    (workspace / "leak.go").write_bytes(LEAK)
    (workspace / "pkg" / "leak.go").write_bytes(LEAK)
    (workspace / "generate.go").write_text(f"package p\n\n//go:generate sh -c \"touch {root / PWNED}\"\n\n"
                                           f'import "runtime"\n\nfunc g() {{ runtime.GC() }}\n')
    (workspace / "cgo.go").write_text('package p\n\n// #cgo LDFLAGS: -lpwned\n// #include <stdio.h>\nimport "C"\n\n'
                                      'import "context"\n\nvar ctxs = map[int]context.Context{}\n')
    (workspace / "escape").symlink_to(outside, target_is_directory=True)
    (workspace / "outside_leak.go").symlink_to(outside / "victim.go")
    os.mkfifo(workspace / "fifo.go")
    (workspace / "zero.go").symlink_to("/dev/zero")
    return workspace


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path, Path]:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "victim.go").write_bytes(LEAK)
    (outside / "other.go").write_bytes(LEAK)
    workspace = _hostile_workspace(tmp_path, outside)
    runner = tmp_path / "runner" / "run_audited.py"  # not in the workspace, not the cwd
    runner.parent.mkdir()
    runner.write_text(RUNNER)
    return workspace, outside, runner


def _events(log: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def _violations(events: list[dict[str, Any]], workspace: Path, writable: set[Path]) -> list[str]:
    """Everything in the audit record that ctx-lsp must never do."""
    problems = []
    inside = str(workspace.resolve())
    for record in events:
        event, args = record["event"], record["args"]
        text = json.dumps(args)
        if event == "ctypes.dlopen" and args == [None]:
            continue  # dlopen(NULL): the running program's own symbols (renameat2, prctl), no file loaded
        if event.startswith(("subprocess.", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "pty.",
                             "socket.", "urllib.", "http.", "webbrowser.", "ctypes.dlopen", "shutil.", "os.symlink",
                             "os.link", "os.mkdir", "os.rmdir", "os.chown", "os.truncate")):
            problems.append(f"forbidden: {event} {text}")
        elif event in ("import", "compile", "exec") and inside in text:
            problems.append(f"code from the workspace: {event} {text}")
        elif event in ("open", "os.rename", "os.remove", "os.unlink", "os.chmod", "tempfile.mkstemp",
                       "ctx_lsp.rename_exchange"):
            paths = [Path(a) for a in args if isinstance(a, str) and a.startswith("/")]
            for path in paths:
                if path in writable:
                    continue
                if path.name.startswith(".ctx-lsp-") and path.name.endswith(".tmp") and path.parent in {
                        p.parent for p in writable}:
                    continue  # the temporary file of an atomic write, beside its target
                problems.append(f"write outside the files being fixed: {event} {text}")
    return problems


def _run_cli(runner: Path, workspace: Path, log: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-P", str(runner), str(log), "cli", *arguments], cwd=workspace,
                          capture_output=True, text=True, timeout=120)


def test_cli_check_and_fix_treat_the_workspace_as_data(hostile: tuple[Path, Path, Path], tmp_path: Path) -> None:
    workspace, outside, runner = hostile
    log = tmp_path / "cli-audit.jsonl"
    checked = _run_cli(runner, workspace, log, "check", "--no-progress", "-j", "1", ".")
    assert checked.returncode == 1, checked.stderr
    assert "leak.go:6:7:" in checked.stdout and "pkg/leak.go:6:7:" in checked.stdout
    assert "escape: directory symlink leads outside the checked paths; skipped" in checked.stderr
    assert "unknown setting 'command' ignored" in checked.stderr
    assert "escape/" not in checked.stdout and "fifo.go" not in checked.stdout and "zero.go" not in checked.stdout
    fixed = _run_cli(runner, workspace, log, "check", "--fix", "--no-progress", "-j", "1", ".")
    assert "outside the checked paths" in fixed.stderr  # the symlinked victim is not written
    writable = {workspace.resolve() / "leak.go", workspace.resolve() / "pkg" / "leak.go"}
    assert all(b"defer cancel()" in path.read_bytes() for path in writable)
    assert (outside / "victim.go").read_bytes() == LEAK and (outside / "other.go").read_bytes() == LEAK
    problems = _violations(_events(log), workspace, writable)
    assert not problems, "\n".join(problems)
    assert any(e["event"] in ("os.rename", "ctx_lsp.rename_exchange") for e in _events(log)), \
        "the audit hook saw no write: it proves nothing"
    assert not (tmp_path / PWNED).exists(), (tmp_path / PWNED).read_text()


def test_language_server_treats_the_workspace_as_data(hostile: tuple[Path, Path, Path], tmp_path: Path) -> None:
    workspace, outside, runner = hostile
    log = tmp_path / "server-audit.jsonl"
    client = RawClient(tmp_path / "server.stderr",
                       command=[sys.executable, "-P", str(runner), str(log), "server"])
    try:
        hostile_settings = {"ctxLsp": {"command": f"touch {tmp_path / PWNED}", "rules": {"lostcancel": "$(id)"},
                                       "path": "/bin/sh", "serverArgs": ["-c", "id"]}}
        client.configuration = hostile_settings["ctxLsp"]
        client.initialize(capabilities("utf-16"), workspace, hostile_settings)
        client.notify("workspace/didChangeConfiguration", {"settings": hostile_settings})
        uris = []
        for path in (workspace / "leak.go", workspace / "generate.go", workspace / "cgo.go",
                     workspace / "outside_leak.go", workspace / "escape" / "victim.go"):
            uri = path.as_uri()
            uris.append(uri)
            client.notify("textDocument/didOpen", {"textDocument": {
                "uri": uri, "languageId": "go", "version": 1, "text": path.read_text()}})
        for uri in uris:
            client.wait_for_diagnostics(uri, 1)
            answer = client.request("textDocument/codeAction", {
                "textDocument": {"uri": uri}, "range": {"start": {"line": 0, "character": 0},
                                                        "end": {"line": 50, "character": 0}},
                "context": {"diagnostics": client.diagnostics[uri]["diagnostics"]}})
            assert "error" not in answer
        assert client.diagnostics[uris[0]]["diagnostics"], "the leak in the workspace was not reported"
        command = client.request("workspace/executeCommand", {"command": "sh", "arguments": ["-c", "id"]})
        assert "error" in command
        client.notify("workspace/didChangeWatchedFiles", {"changes": [
            {"uri": (workspace / "go.mod").as_uri(), "type": 2},
            {"uri": (workspace / ".ctx-lsp.toml").as_uri(), "type": 2}]})
        assert client.request("textDocument/hover", {"textDocument": {"uri": uris[0]},
                                                     "position": {"line": 5, "character": 12}}).get("error") is None
        assert client.shutdown() == 0
    finally:
        client.kill()
    events = _events(log)
    assert any(e["event"] == "import" for e in events), "the audit hook recorded nothing: it proves nothing"
    problems = _violations(events, workspace, writable=set())
    assert not problems, "\n".join(problems)
    assert not (tmp_path / PWNED).exists(), (tmp_path / PWNED).read_text()
    assert (outside / "victim.go").read_bytes() == LEAK and (workspace / "leak.go").read_bytes() == LEAK


def test_python_dash_m_from_a_hostile_directory_needs_safe_path(hostile: tuple[Path, Path, Path],
                                                                  tmp_path: Path) -> None:
    """``python -m ctx_lsp`` puts the working directory first on sys.path, so started inside a
    workspace it would import that workspace's ``attrs.py``. Launchers must use ``-P`` (or the
    ``ctx-lsp`` console script, whose sys.path starts at its own directory)."""
    workspace, _, _ = hostile
    unsafe = subprocess.run([sys.executable, "-m", "ctx_lsp", "--version"], cwd=workspace,
                            capture_output=True, text=True, timeout=60)
    assert (tmp_path / PWNED).exists(), "expected Python's -m to import from the working directory"
    (tmp_path / PWNED).unlink()
    for command in ([sys.executable, "-P", "-m", "ctx_lsp", "--version"],
                    [str(Path(sys.executable).parent / "ctx-lsp"), "--version"]):
        safe = subprocess.run(command, cwd=workspace, capture_output=True, text=True, timeout=60)
        assert safe.returncode == 0 and "ctx-lsp" in safe.stdout, safe.stderr
        assert not (tmp_path / PWNED).exists(), f"{command} imported workspace code"
    assert unsafe is not None


VSCODE_LAUNCH = Path(__file__).resolve().parents[2] / "editors" / "vscode" / "src" / "config.ts"


def test_vscode_module_launch_uses_safe_path() -> None:
    source = VSCODE_LAUNCH.read_text()
    module_args = next(line for line in source.splitlines() if "moduleArgs" in line and "=" in line)
    assert "'-P'" in module_args or "PYTHONSAFEPATH" in source, module_args


def test_the_audit_check_flags_what_it_must(tmp_path: Path) -> None:
    """Negative control for _violations: recorded misdeeds are reported."""
    workspace = tmp_path / "ws"
    events = [
        {"event": "subprocess.Popen", "args": ["/bin/sh", ["sh", "-c", "id"]]},
        {"event": "import", "args": ["attrs", str(workspace / "attrs.py")]},
        {"event": "open", "args": [str(tmp_path / "elsewhere.go"), "wb", 577]},
        {"event": "os.rename", "args": [str(workspace / ".ctx-lsp-x.tmp"), "/etc/passwd"]},
        {"event": "socket.connect", "args": ["<socket>", ["10.0.0.1", 80]]},
        {"event": "open", "args": [str(workspace / "leak.go"), "wb", 577]},
        {"event": "ctx_lsp.rename_exchange", "args": [str(workspace / ".ctx-lsp-x.tmp"), "/etc/shadow"]},
        {"event": "ctypes.dlopen", "args": ["/tmp/evil.so"]},
        {"event": "ctypes.dlopen", "args": [None]},  # the program's own symbols: allowed
    ]
    problems = _violations(events, workspace, {workspace / "leak.go"})
    assert len(problems) == 7, problems
