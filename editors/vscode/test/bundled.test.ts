// Unit tests of the bundled-server launch (src/bundled.ts) and of the stderr log levels.

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { PROBE_SCRIPT, parseProbe, resolveBundled, unfitReason, type Probe } from '../src/bundled';
import { DEFAULT_SETTINGS, stderrLevel, type ExtensionSettings, type LaunchEnvironment } from '../src/config';

function machine(executables: string[]): LaunchEnvironment {
  const present = new Set(executables);
  return {
    platform: 'linux',
    pathVariable: '/usr/local/bin:/usr/bin',
    pathExt: undefined,
    homeDir: '/home/user',
    workspaceFolder: '/work/project',
    isExecutableFile: (candidate) => present.has(candidate),
  };
}

function settingsWith(overrides: Partial<ExtensionSettings>): ExtensionSettings {
  return { ...DEFAULT_SETTINGS, ...overrides };
}

/** A probe that answers for each interpreter as if it were that Python version. */
function probeAnswering(versions: Record<string, number[] | Error>, importError?: string): Probe {
  return async (executable, args) => {
    assert.deepEqual(args.slice(0, 3), ['-I', '-c', PROBE_SCRIPT]);
    const version = versions[executable];
    if (version === undefined || version instanceof Error) {
      throw version ?? new Error('ENOENT');
    }
    const tag = `cp${version[0]}${version[1]}`;
    return JSON.stringify({ version, libsTag: tag, ...(importError ? { importError } : {}) }) + '\n';
  };
}

const TAGS = ['cp311', 'cp312', 'cp313', 'cp314'];

describe('resolveBundled', () => {
  test('takes the first interpreter that fits and points PYTHONPATH at its version', async () => {
    const resolution = await resolveBundled(
      '/ext/bundled/libs',
      TAGS,
      settingsWith({ serverArgs: ['--log-level', 'INFO'] }),
      machine(['/usr/bin/python3']),
      '/venv39/bin/python',
      probeAnswering({ '/venv39/bin/python': [3, 9, 18], '/usr/bin/python3': [3, 12, 3] }),
    );
    assert.ok(resolution.ok);
    assert.equal(resolution.launch.command, '/usr/bin/python3');
    assert.deepEqual(resolution.launch.args, ['-P', '-m', 'ctx_lsp', 'serve', '--log-level', 'INFO']);
    assert.equal(resolution.launch.pythonPath, '/ext/bundled/libs/cp312:/ext/bundled/libs/common');
    assert.equal(resolution.launch.python.origin, 'path');
  });

  test('ctxLsp.interpreter comes first', async () => {
    const resolution = await resolveBundled(
      '/ext/bundled/libs',
      TAGS,
      settingsWith({ interpreter: '/opt/py313/bin/python3' }),
      machine(['/opt/py313/bin/python3', '/usr/bin/python3']),
      undefined,
      probeAnswering({ '/opt/py313/bin/python3': [3, 13, 0], '/usr/bin/python3': [3, 11, 2] }),
    );
    assert.ok(resolution.ok);
    assert.equal(resolution.launch.command, '/opt/py313/bin/python3');
    assert.equal(resolution.launch.python.origin, 'interpreter-setting');
  });

  test('when nothing fits, one message lists every interpreter and why', async () => {
    const resolution = await resolveBundled(
      '/ext/bundled/libs',
      TAGS,
      settingsWith({ interpreter: '/missing/python' }),
      machine(['/usr/bin/python3']),
      '/venv/bin/python',
      probeAnswering({ '/venv/bin/python': [3, 15, 0], '/usr/bin/python3': [3, 10, 12] }),
    );
    assert.ok(!resolution.ok);
    const { message, setting } = resolution.problem;
    assert.match(message, /needs Python 3\.11 or newer/);
    assert.match(message, /ctxLsp\.interpreter "\/missing\/python" does not exist/);
    assert.match(message, /\/venv\/bin\/python: Python 3\.15\.0 has no bundled tree-sitter in this extension \(bundled for 3\.11, 3\.12, 3\.13, 3\.14\)/);
    assert.match(message, /\/usr\/bin\/python3: Python 3\.10\.12 is too old/);
    assert.match(message, /set ctxLsp\.path/);
    assert.equal(setting, 'ctxLsp.interpreter');
  });

  test('an interpreter that cannot load the bundle is skipped with the import error', async () => {
    const resolution = await resolveBundled(
      '/ext/bundled/libs',
      TAGS,
      DEFAULT_SETTINGS,
      machine(['/usr/bin/python3']),
      undefined,
      probeAnswering({ '/usr/bin/python3': [3, 11, 2] }, 'ImportError: libc.musl-x86_64.so.1: not found'),
    );
    assert.ok(!resolution.ok);
    assert.match(resolution.problem.message, /does not load with Python 3\.11\.2: ImportError: libc\.musl/);
  });
});

describe('probe output', () => {
  test('parses the last line and rejects anything else', () => {
    assert.deepEqual(parseProbe('noise\n{"version": [3, 11, 2], "libsTag": "cp311"}\n'), {
      version: [3, 11, 2],
      libsTag: 'cp311',
    });
    assert.equal(parseProbe('Python 2.7.18'), undefined);
    assert.equal(parseProbe('{"version": "3.11"}'), undefined);
  });

  test('unfitReason accepts a bundled version', () => {
    assert.equal(unfitReason({ version: [3, 14, 0], libsTag: 'cp314' }, TAGS), undefined);
  });
});

describe('stderrLevel', () => {
  test("the server's log lines keep their level", () => {
    assert.equal(stderrLevel('ctx-lsp WARNING ctx_lsp.server: unknown setting "x"'), 'warn');
    assert.equal(stderrLevel('ctx-lsp INFO ctx_lsp.server: started'), 'info');
    assert.equal(stderrLevel('ctx-lsp DEBUG pygls.protocol: message'), 'debug');
    assert.equal(stderrLevel('ctx-lsp ERROR ctx_lsp.server: analysis failed'), 'error');
  });

  test("pygls's cancel of an answered request is not an error", () => {
    assert.equal(
      stderrLevel('ctx-lsp WARNING pygls.protocol.json_rpc: Cancel notification for unknown message id "12"'),
      'debug',
    );
  });

  test('a traceback is an error, its indented lines follow the line before', () => {
    assert.equal(stderrLevel('Traceback (most recent call last):', 'info'), 'error');
    assert.equal(stderrLevel('  File "x.py", line 1, in <module>', 'error'), 'error');
    assert.equal(stderrLevel('    more detail', 'warn'), 'warn');
  });
});
