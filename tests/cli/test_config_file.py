"""``.ctx-lsp.toml`` problems: the valid part of a broken file applies, each problem is
reported once with file, key, reason (and line for TOML syntax errors), and the problems are
available as records for the language server to show."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctx_lsp.cli import main
from ctx_lsp.engine.config import ConfigProblem, Settings, load_config
from ctx_lsp.engine.findings import Severity

LEAK = b'package p\n\nimport "context"\n\nfunc f(p context.Context) {\n\tctx, _ := context.WithCancel(p)\n\t_ = ctx\n}\n'
KNOWN = frozenset({"lostcancel", "forced-gc", "context-key-type"})


def _load(tmp_path: Path, text: str) -> tuple[Settings, list[ConfigProblem], str]:
    path = tmp_path / ".ctx-lsp.toml"
    path.write_text(text)
    loaded = load_config(str(path), known_rules=KNOWN)
    return loaded.settings, list(loaded.problems), str(path)


def test_a_toml_syntax_error_drops_only_its_statement(tmp_path: Path) -> None:
    settings, problems, path = _load(tmp_path, 'min-severity = "warning"\n[rules]\nforced-gc = off\n'
                                               'lostcancel = "error"\n')
    assert settings.min_severity is Severity.WARNING
    assert settings.rules == {"lostcancel": "error"}
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.file, problem.key, problem.line) == (path, "rules.forced-gc", 3)
    assert "invalid TOML" in problem.reason and "'rules.forced-gc' ignored" in problem.reason
    assert str(problem).startswith(f"{path}:3: invalid TOML")


@pytest.mark.parametrize(("text", "key", "line", "kept"), [
    ('min-severity = "error"\nmin-severity = "hint"\ndebounce-ms = 5\n', "min-severity", 2, {"debounce_ms": 5}),
    ('debounce-ms = [1,\n2,\noops]\nmin-severity = "error"\n', "debounce-ms", 3, {"min_severity": Severity.ERROR}),
    ('min-severity = "error"\n[rules\nlostcancel = "off"\n', "rules", 2, {"min_severity": Severity.ERROR,
                                                                             "rules": {}}),
    ('debounce-ms = 7\nmin-severity = """never closed\n', "min-severity", None, {"debounce_ms": 7}),
    ('min-severity = "error"\noops\ndebounce-ms = 3\n', None, 2, {"min_severity": Severity.ERROR, "debounce_ms": 3}),
    ('[rules]\nlostcancel = "off"\n[rules]\nforced-gc = "off"\n', "rules", 3, {"rules": {"lostcancel": "off"}}),
])
def test_valid_keys_survive_any_one_broken_statement(tmp_path: Path, text: str, key: str | None, line: int | None,
                                                     kept: dict[str, object]) -> None:
    settings, problems, path = _load(tmp_path, text)
    for name, value in kept.items():
        assert getattr(settings, name) == value, (name, settings)
    assert [(p.file, p.key) for p in problems] == [(path, key)], problems
    if line is not None:
        assert problems[0].line == line


def test_every_invalid_key_is_reported_and_the_valid_ones_apply(tmp_path: Path) -> None:
    settings, problems, path = _load(tmp_path, 'debounce-ms = -1\nmin-severity = "loud"\nmax-file-bytes = 99\n'
                                               'colour = "red"\n[rules]\nlostcancel = 3\nnope = "on"\n'
                                               'forced-gc = "off"\n')
    assert settings.max_file_bytes == 99 and settings.rules == {"forced-gc": "off"}
    assert {p.key for p in problems} == {"debounce-ms", "min-severity", "colour", "rules.lostcancel", "rules.nope"}
    assert all(p.file == path and p.reason for p in problems)


def test_unreadable_or_undecodable_file_keeps_the_defaults_and_says_so(tmp_path: Path) -> None:
    path = tmp_path / ".ctx-lsp.toml"
    path.write_bytes(b'min-severity = "error"\n# caf\xe9\n')
    loaded = load_config(str(path))
    assert loaded.settings == Settings() and len(loaded.problems) == 1 and loaded.problems[0].key is None
    assert load_config(str(tmp_path / "missing.toml")).problems[0].reason.startswith("cannot read configuration")


def test_cli_applies_the_valid_part_and_prints_each_problem_once(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    for index in range(70):  # enough files for the process pool
        (tmp_path / f"f{index:02}.go").write_bytes(LEAK)
    (tmp_path / ".ctx-lsp.toml").write_text('[rules]\nforced-gc = off\nlostcancel = "off"\n')
    code = main(["check", "--no-progress", "-j", "2", str(tmp_path), str(tmp_path / "f00.go")])
    captured = capsys.readouterr()
    assert code == 0 and captured.out == ""  # lostcancel = "off" still applies
    lines = captured.err.splitlines()
    config = tmp_path / ".ctx-lsp.toml"
    expected = f"ctx-lsp: {config}:2: invalid TOML (Invalid value); 'rules.forced-gc' ignored, the rest of the file applies"
    assert lines == [expected], lines
