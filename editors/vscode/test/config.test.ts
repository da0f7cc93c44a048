// Unit tests of the pure settings and launch logic (src/config.ts), run with node:test.

import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import {
  CrashPolicy,
  DEFAULT_SETTINGS,
  StderrTail,
  classifyChange,
  crashMessage,
  didChangeConfigurationSettings,
  expandVariables,
  findOnPath,
  formatCommandLine,
  initializationOptions,
  readSettings,
  resolveLaunch,
  splitCommandLine,
  startFailureMessage,
  type ExtensionSettings,
  type LaunchEnvironment,
  type LaunchResolution,
  type ServerLaunch,
} from '../src/config';

/** A reader over a plain object, standing in for workspace.getConfiguration('ctxLsp'). */
function readerOf(values: Record<string, unknown>): (key: string) => unknown {
  return (key) => values[key];
}

function settingsWith(overrides: Partial<ExtensionSettings>): ExtensionSettings {
  return { ...DEFAULT_SETTINGS, ...overrides };
}

/** A POSIX machine whose only executable files are `executables`. */
function posixMachine(executables: string[], overrides: Partial<LaunchEnvironment> = {}): LaunchEnvironment {
  const present = new Set(executables);
  return {
    platform: 'linux',
    pathVariable: '/usr/local/bin:/usr/bin',
    pathExt: undefined,
    homeDir: '/home/gopher',
    workspaceFolder: '/work/project',
    isExecutableFile: (candidate) => present.has(candidate),
    ...overrides,
  };
}

const noPython = async (): Promise<string | undefined> => undefined;

function launchOf(resolution: LaunchResolution): ServerLaunch {
  assert.ok(resolution.ok, `expected a launch, got: ${resolution.ok ? '' : resolution.problem.message}`);
  return resolution.launch;
}

function problemOf(resolution: LaunchResolution): { message: string; setting: string } {
  assert.ok(!resolution.ok, 'expected a problem, got a launch');
  return resolution.problem;
}

describe('readSettings', () => {
  test('unset settings give the defaults and no problems', () => {
    const { settings, problems } = readSettings(readerOf({}));
    assert.deepEqual(settings, DEFAULT_SETTINGS);
    assert.deepEqual(problems, []);
  });

  test('valid values are taken, with rule values and severities normalised to lower case', () => {
    const { settings, problems } = readSettings(
      readerOf({
        path: '  /opt/ctx-lsp/bin/ctx-lsp ',
        interpreter: '/usr/bin/python3',
        serverArgs: ['--log-level', 'debug'],
        rules: { lostcancel: 'Error', 'forced-gc': 'off', 'context-in-struct': 'on' },
        minSeverity: 'Warning',
        debounceMs: 0,
        'trace.server': 'verbose',
      }),
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(settings, {
      path: '/opt/ctx-lsp/bin/ctx-lsp',
      interpreter: '/usr/bin/python3',
      serverArgs: ['--log-level', 'debug'],
      rules: { lostcancel: 'error', 'forced-gc': 'off', 'context-in-struct': 'on' },
      minSeverity: 'warning',
      debounceMs: 0,
      trace: 'verbose',
    });
  });

  test('each invalid value falls back to its default and is reported by setting name', () => {
    const { settings, problems } = readSettings(
      readerOf({
        path: 42,
        serverArgs: '--verbose',
        rules: ['lostcancel'],
        minSeverity: 'fatal',
        debounceMs: -5,
        'trace.server': 'off',
      }),
    );
    assert.deepEqual(settings, DEFAULT_SETTINGS);
    const mentioned = ['ctxLsp.path', 'ctxLsp.serverArgs', 'ctxLsp.rules', 'ctxLsp.minSeverity', 'ctxLsp.debounceMs', 'ctxLsp.trace.server'];
    assert.equal(problems.length, mentioned.length, problems.join('\n'));
    for (const name of mentioned) {
      assert.ok(
        problems.some((problem) => problem.startsWith(name + ' ')),
        `no problem names ${name}:\n${problems.join('\n')}`,
      );
    }
  });

  test('debounce must be a whole number within range', () => {
    for (const bad of [1.5, '150', 10_001, Number.NaN]) {
      const { settings, problems } = readSettings(readerOf({ debounceMs: bad }));
      assert.equal(settings.debounceMs, undefined, `accepted ${String(bad)}`);
      assert.equal(problems.length, 1);
    }
    assert.equal(readSettings(readerOf({ debounceMs: 10_000 })).settings.debounceMs, 10_000);
  });

  test('true and false are accepted as on and off', () => {
    const { settings, problems } = readSettings(readerOf({ rules: { lostcancel: false, 'forced-gc': true } }));
    assert.deepEqual(problems, []);
    assert.deepEqual(settings.rules, { lostcancel: 'off', 'forced-gc': 'on' });
  });

  test('one bad rule entry is dropped while the good ones are kept', () => {
    const { settings, problems } = readSettings(
      readerOf({ rules: { lostcancel: 'warning', 'forced-gc': 'loud', 'context-key-type': 3 } }),
    );
    assert.deepEqual(settings.rules, { lostcancel: 'warning' });
    assert.equal(problems.length, 2);
    assert.match(problems[0] ?? '', /ctxLsp\.rules\["forced-gc"\].*"loud"/);
    assert.match(problems[1] ?? '', /ctxLsp\.rules\["context-key-type"\].*3/);
  });
});

describe('server settings', () => {
  const settings = settingsWith({
    path: '/bin/ctx-lsp',
    serverArgs: ['--x'],
    rules: { lostcancel: 'off' },
    minSeverity: 'warning',
    debounceMs: 40,
  });

  test('initialization options carry exactly the server contract under ctxLsp', () => {
    assert.deepEqual(initializationOptions(settings), {
      ctxLsp: { rules: { lostcancel: 'off' }, minSeverity: 'warning', debounceMs: 40 },
    });
  });

  test('settings the user did not set are left to the server and .ctx-lsp.toml', () => {
    assert.deepEqual(initializationOptions(DEFAULT_SETTINGS), { ctxLsp: { rules: {} } });
    assert.deepEqual(initializationOptions(readSettings(readerOf({ minSeverity: 'error' })).settings), {
      ctxLsp: { rules: {}, minSeverity: 'error' },
    });
  });

  test('didChangeConfiguration sends the same shape as initialization', () => {
    assert.deepEqual(didChangeConfigurationSettings(settings), initializationOptions(settings));
  });

  test('the sent rules are a copy, so later edits cannot leak into a sent message', () => {
    const sent = initializationOptions(settings);
    assert.notEqual(sent.ctxLsp.rules, settings.rules);
  });
});

describe('classifyChange', () => {
  test('launch settings need a restart', () => {
    assert.equal(classifyChange(DEFAULT_SETTINGS, settingsWith({ path: '/x/ctx-lsp' })), 'restart');
    assert.equal(classifyChange(DEFAULT_SETTINGS, settingsWith({ interpreter: 'python3' })), 'restart');
    assert.equal(classifyChange(DEFAULT_SETTINGS, settingsWith({ serverArgs: ['-v'] })), 'restart');
  });

  test('analysis settings are sent to the running server', () => {
    assert.equal(classifyChange(DEFAULT_SETTINGS, settingsWith({ rules: { 'forced-gc': 'off' } })), 'notify-server');
    assert.equal(classifyChange(DEFAULT_SETTINGS, settingsWith({ minSeverity: 'error' })), 'notify-server');
    assert.equal(classifyChange(DEFAULT_SETTINGS, settingsWith({ debounceMs: 10 })), 'notify-server');
  });

  test('trace and unchanged settings need nothing from us', () => {
    assert.equal(classifyChange(DEFAULT_SETTINGS, settingsWith({ trace: 'verbose' })), 'none');
    assert.equal(classifyChange(DEFAULT_SETTINGS, settingsWith({})), 'none');
  });
});

describe('resolveLaunch', () => {
  test('ctxLsp.path wins over PATH and is started with serve plus the extra args', async () => {
    const machine = posixMachine(['/opt/ctx/bin/ctx-lsp', '/usr/bin/ctx-lsp']);
    const launch = launchOf(
      await resolveLaunch(settingsWith({ path: '/opt/ctx/bin/ctx-lsp', serverArgs: ['--log', 'x'] }), machine, noPython),
    );
    assert.deepEqual(launch, { command: '/opt/ctx/bin/ctx-lsp', args: ['serve', '--log', 'x'], source: 'path-setting' });
  });

  test('ctxLsp.path expands ~ and ${workspaceFolder}, and resolves relative paths against the workspace', async () => {
    const machine = posixMachine(['/home/gopher/.local/bin/ctx-lsp', '/work/project/.venv/bin/ctx-lsp']);
    for (const [value, expected] of [
      ['~/.local/bin/ctx-lsp', '/home/gopher/.local/bin/ctx-lsp'],
      ['${userHome}/.local/bin/ctx-lsp', '/home/gopher/.local/bin/ctx-lsp'],
      ['${workspaceFolder}/.venv/bin/ctx-lsp', '/work/project/.venv/bin/ctx-lsp'],
      ['.venv/bin/ctx-lsp', '/work/project/.venv/bin/ctx-lsp'],
    ] as const) {
      const launch = launchOf(await resolveLaunch(settingsWith({ path: value }), machine, noPython));
      assert.equal(launch.command, expected, value);
    }
  });

  test('a bare name in ctxLsp.path is looked up on PATH', async () => {
    const machine = posixMachine(['/usr/bin/ctx-lsp-dev']);
    const launch = launchOf(await resolveLaunch(settingsWith({ path: 'ctx-lsp-dev' }), machine, noPython));
    assert.equal(launch.command, '/usr/bin/ctx-lsp-dev');
  });

  test('a ctxLsp.path that does not exist is an error naming the path and the setting, not a fallback', async () => {
    const machine = posixMachine(['/usr/bin/ctx-lsp']);
    let askedPython = false;
    const problem = problemOf(
      await resolveLaunch(settingsWith({ path: '/nope/ctx-lsp' }), machine, async () => {
        askedPython = true;
        return '/usr/bin/python3';
      }),
    );
    assert.equal(problem.setting, 'ctxLsp.path');
    assert.match(problem.message, /"\/nope\/ctx-lsp" set in ctxLsp\.path was not found/);
    assert.equal(askedPython, false);
  });

  test('${workspaceFolder} without a workspace is an error', async () => {
    const machine = posixMachine(['/x/ctx-lsp'], { workspaceFolder: undefined });
    const problem = problemOf(await resolveLaunch(settingsWith({ path: '${workspaceFolder}/ctx-lsp' }), machine, noPython));
    assert.equal(problem.setting, 'ctxLsp.path');
  });

  test('without ctxLsp.path the first ctx-lsp on PATH is used, and Python is not consulted', async () => {
    const machine = posixMachine(['/usr/local/bin/ctx-lsp', '/usr/bin/ctx-lsp']);
    let askedPython = false;
    const launch = launchOf(
      await resolveLaunch(DEFAULT_SETTINGS, machine, async () => {
        askedPython = true;
        return '/usr/bin/python3';
      }),
    );
    assert.deepEqual(launch, { command: '/usr/local/bin/ctx-lsp', args: ['serve'], source: 'path-lookup' });
    assert.equal(askedPython, false);
  });

  test('not on PATH: the Python extension interpreter runs the module', async () => {
    const machine = posixMachine([]);
    const launch = launchOf(
      await resolveLaunch(settingsWith({ serverArgs: ['-v'] }), machine, async () => '/home/gopher/.venv/bin/python'),
    );
    assert.deepEqual(launch, {
      command: '/home/gopher/.venv/bin/python',
      args: ['-P', '-m', 'ctx_lsp', 'serve', '-v'],
      source: 'python-extension',
    });
  });

  test('ctxLsp.interpreter beats the Python extension', async () => {
    const machine = posixMachine(['/usr/bin/python3']);
    const launch = launchOf(
      await resolveLaunch(settingsWith({ interpreter: 'python3' }), machine, async () => '/elsewhere/python'),
    );
    assert.deepEqual(launch, { command: '/usr/bin/python3', args: ['-P', '-m', 'ctx_lsp', 'serve'], source: 'interpreter-setting' });
  });

  test('a missing ctxLsp.interpreter is an error about that setting', async () => {
    const problem = problemOf(await resolveLaunch(settingsWith({ interpreter: '/no/python' }), posixMachine([]), noPython));
    assert.equal(problem.setting, 'ctxLsp.interpreter');
    assert.match(problem.message, /"\/no\/python" set in ctxLsp\.interpreter/);
  });

  test('nothing found: the error says how to fix it', async () => {
    const problem = problemOf(await resolveLaunch(DEFAULT_SETTINGS, posixMachine([]), async () => ''));
    assert.equal(problem.setting, 'ctxLsp.path');
    assert.match(problem.message, /not on PATH/);
    assert.match(problem.message, /Install ctx-lsp/);
    assert.match(problem.message, /ctxLsp\.path/);
    assert.match(problem.message, /ctxLsp\.interpreter/);
  });
});

describe('findOnPath', () => {
  test('Windows: PATH uses ";" and PATHEXT extensions are tried in order', () => {
    const machine: LaunchEnvironment = {
      platform: 'win32',
      pathVariable: 'C:\\Tools;C:\\Python\\Scripts',
      pathExt: '.COM;.EXE;.BAT',
      homeDir: 'C:\\Users\\gopher',
      workspaceFolder: undefined,
      isExecutableFile: (candidate) => candidate === 'C:\\Python\\Scripts\\ctx-lsp.exe',
    };
    assert.equal(findOnPath('ctx-lsp', machine), 'C:\\Python\\Scripts\\ctx-lsp.exe');
    assert.equal(findOnPath('ctx-lsp.exe', machine), 'C:\\Python\\Scripts\\ctx-lsp.exe');
    assert.equal(findOnPath('ctx-lsp.bat', machine), undefined);
  });

  test('empty PATH entries are skipped rather than meaning the current directory', () => {
    const machine = posixMachine(['ctx-lsp'], { pathVariable: ':/usr/bin:' });
    assert.equal(findOnPath('ctx-lsp', machine), undefined);
  });

  test('unset PATH finds nothing', () => {
    assert.equal(findOnPath('ctx-lsp', posixMachine(['/usr/bin/ctx-lsp'], { pathVariable: undefined })), undefined);
  });
});

describe('expandVariables', () => {
  test('only a leading ~ is the home directory', () => {
    const machine = posixMachine([]);
    assert.equal(expandVariables('~', machine), '/home/gopher');
    assert.equal(expandVariables('/a/~b', machine), '/a/~b');
    assert.equal(expandVariables('~other/bin', machine), '~other/bin');
  });
});

describe('startFailureMessage', () => {
  const viaExtension: ServerLaunch = { command: '/venv/bin/python', args: ['-m', 'ctx_lsp', 'serve'], source: 'python-extension' };
  const viaPath: ServerLaunch = { command: '/usr/bin/ctx-lsp', args: ['serve'], source: 'path-lookup' };

  test('ctx_lsp missing from the interpreter: say so and how to install or switch', () => {
    const problem = startFailureMessage(
      viaExtension,
      'Server process exited',
      "/venv/bin/python: No module named ctx_lsp",
    );
    assert.match(problem.message, /ctx-lsp is not installed for the Python interpreter \/venv\/bin\/python/);
    assert.match(problem.message, /-m pip install/);
    assert.match(problem.message, /select an interpreter/);
    assert.equal(problem.setting, 'ctxLsp.path');
  });

  test('a missing ctx_lsp submodule is an incomplete or old installation, not a missing one', () => {
    const problem = startFailureMessage(
      viaExtension,
      'exited',
      "ModuleNotFoundError: No module named 'ctx_lsp.lsp.server'",
    );
    assert.doesNotMatch(problem.message, /not installed/);
    assert.match(problem.message, /lacks the module "ctx_lsp\.lsp\.server"/);
    assert.match(problem.message, /Reinstall or upgrade/);
  });

  test('a ctx-lsp script on PATH with a broken environment is told to reinstall, not to pick an interpreter', () => {
    const problem = startFailureMessage(viaPath, 'exited', "ModuleNotFoundError: No module named 'tree_sitter_go'");
    assert.match(problem.message, /dependency "tree_sitter_go" is missing/);
    assert.doesNotMatch(problem.message, /interpreter/);
    assert.equal(problem.setting, 'ctxLsp.path');
  });

  test('a missing dependency is named', () => {
    const problem = startFailureMessage(
      { ...viaExtension, source: 'interpreter-setting' },
      'exited',
      "Traceback (most recent call last):\nModuleNotFoundError: No module named 'pygls'",
    );
    assert.match(problem.message, /dependency "pygls" is missing/);
    assert.equal(problem.setting, 'ctxLsp.interpreter');
  });

  test('a missing executable is reported as missing', () => {
    const problem = startFailureMessage(viaPath, 'Launching server using command /usr/bin/ctx-lsp failed. Error: spawn /usr/bin/ctx-lsp ENOENT', '');
    assert.match(problem.message, /does not exist/);
  });

  test('a rejected command line points at ctxLsp.serverArgs', () => {
    const problem = startFailureMessage(viaPath, 'exited', 'usage: ctx-lsp serve\nctx-lsp: error: unrecognized arguments: --bogus');
    assert.equal(problem.setting, 'ctxLsp.serverArgs');
    assert.match(problem.message, /unrecognized arguments: --bogus/);
  });

  test('a server that never answered initialize is reported as hung, not by its last log line', () => {
    const problem = startFailureMessage(viaPath, 'timed out: no answer to the initialize request within 30 s', 'INFO starting\n');
    assert.match(problem.message, /did not finish starting \(timed out: no answer to the initialize request within 30 s\)/);
    assert.doesNotMatch(problem.message, /INFO starting/);
  });

  test('anything else quotes the last stderr line and the command line', () => {
    const problem = startFailureMessage(viaPath, 'exited', 'RuntimeError: boom\n\n');
    assert.match(problem.message, /\/usr\/bin\/ctx-lsp serve\) failed to start: RuntimeError: boom\./);
    assert.match(problem.message, /Restart Server/);
  });
});

describe('crash handling', () => {
  test('the fifth crash within three minutes stops the restarts; older crashes are forgotten', () => {
    const policy = new CrashPolicy(5, 180_000);
    for (let crash = 1; crash <= 4; crash++) {
      assert.equal(policy.shouldRestart(crash * 1000), true, `crash ${crash}`);
    }
    assert.equal(policy.shouldRestart(5000), false);
    const spread = new CrashPolicy(5, 180_000);
    for (let crash = 0; crash < 10; crash++) {
      assert.equal(spread.shouldRestart(crash * 60_000), true, `crash ${crash}`);
    }
  });

  test('reset forgets earlier crashes', () => {
    const policy = new CrashPolicy(2, 180_000);
    assert.equal(policy.shouldRestart(0), true);
    policy.reset();
    assert.equal(policy.shouldRestart(1), true);
    assert.equal(policy.shouldRestart(2), false);
  });

  test('the crash message quotes the last error and names the recovery command', () => {
    const message = crashMessage(5, 'Traceback\nMemoryError\n');
    assert.match(message, /5 times/);
    assert.match(message, /last error: MemoryError/);
    assert.match(message, /ctx-lsp: Restart Server/);
  });

  test('the stderr tail keeps only the newest lines', () => {
    const tail = new StderrTail(2);
    ['one', 'two', 'three', ''].forEach((line) => tail.push(line));
    assert.equal(tail.text(), 'three\n');
    assert.equal(tail.lastLine(), 'three');
  });
});

describe('command lines', () => {
  test('splitCommandLine handles quotes and escapes', () => {
    assert.deepEqual(splitCommandLine('python -m ctx_lsp serve'), ['python', '-m', 'ctx_lsp', 'serve']);
    assert.deepEqual(splitCommandLine(`  "/opt/my python/bin/python3"  -m   ctx_lsp 'a b' c\\ d "" `), [
      '/opt/my python/bin/python3',
      '-m',
      'ctx_lsp',
      'a b',
      'c d',
      '',
    ]);
    assert.deepEqual(splitCommandLine(`"say \\"hi\\""`), ['say "hi"']);
    assert.throws(() => splitCommandLine('python "unterminated'), /unterminated/);
  });

  test('formatCommandLine quotes what a shell would split', () => {
    assert.equal(formatCommandLine('/usr/bin/ctx-lsp', ['serve']), '/usr/bin/ctx-lsp serve');
    assert.equal(formatCommandLine('/opt/my python/python', ['-m', 'ctx_lsp', '']), '"/opt/my python/python" -m ctx_lsp ""');
    assert.deepEqual(splitCommandLine(formatCommandLine('/a b/c', ['x"y', '$HOME'])), ['/a b/c', 'x"y', '$HOME']);
  });
});
