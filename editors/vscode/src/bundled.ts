// The server bundled in the .vsix (bundled/libs, filled by build_vsix.py) and the Python
// that runs it. Pure logic: the extension hands in how to probe an interpreter, so the
// choice and the messages can be unit-tested without VS Code or Python.
//
// Layout: bundled/libs/common holds the pure-Python packages and ctx_lsp; bundled/libs/cpXY
// holds tree-sitter built for Python X.Y. The server runs as
// `<python> -P -m ctx_lsp serve` with PYTHONPATH = cpXY + common.

import * as path from 'node:path';
import {
  SERVER_MODULE,
  SERVE_SUBCOMMAND,
  SETTINGS_SECTION,
  findOnPath,
  locateConfiguredProgram,
  type ExtensionSettings,
  type LaunchEnvironment,
  type LaunchProblem,
} from './config';

/** The oldest Python the server runs on (pyproject.toml's requires-python). */
export const MIN_PYTHON: readonly [number, number] = [3, 11];

/** A Python that may run the bundled server, and where the choice came from. */
export interface PythonCandidate {
  readonly executable: string;
  readonly origin: 'interpreter-setting' | 'python-extension' | 'path';
}

/** What the probe script printed about one interpreter. */
export interface ProbeResult {
  /** [major, minor, micro] */
  readonly version: readonly number[];
  /** The bundle directory for this version, e.g. "cp312", when the bundle has one. */
  readonly libsTag: string;
  /** Set when importing the bundled server failed (wrong platform, missing libc...). */
  readonly importError?: string;
}

/** Runs one interpreter with these arguments and returns its stdout; rejects when it cannot run. */
export type Probe = (executable: string, args: readonly string[]) => Promise<string>;

/**
 * Printed as one JSON line by the interpreter under test: its version, and whether the
 * bundled server imports with the directory for that version (argv[1] is bundled/libs).
 */
export const PROBE_SCRIPT = [
  'import json, os, sys',
  'libs = sys.argv[1]',
  'tag = "cp%d%d" % sys.version_info[:2]',
  'out = {"version": list(sys.version_info[:3]), "libsTag": tag}',
  `if sys.version_info >= (${MIN_PYTHON.join(', ')}) and os.path.isdir(os.path.join(libs, tag)):`,
  '    sys.path[:0] = [os.path.join(libs, tag), os.path.join(libs, "common")]',
  '    try:',
  '        import tree_sitter, tree_sitter_go, pygls, ctx_lsp.lsp.server',
  '    except Exception as error:',
  '        out["importError"] = "%s: %s" % (type(error).__name__, error)',
  'print(json.dumps(out))',
].join('\n');

/** Interpreters to try, in order: ctxLsp.interpreter, the Python extension's, python3 on PATH. */
export function pythonCandidates(
  settings: ExtensionSettings,
  env: LaunchEnvironment,
  fromExtension: string | undefined,
): { candidates: PythonCandidate[]; notFound: string[] } {
  const candidates: PythonCandidate[] = [];
  const notFound: string[] = [];
  if (settings.interpreter !== '') {
    const located = locateConfiguredProgram(settings.interpreter, env);
    if (located === undefined) {
      notFound.push(`${SETTINGS_SECTION}.interpreter "${settings.interpreter}" does not exist or is not executable`);
    } else {
      candidates.push({ executable: located, origin: 'interpreter-setting' });
    }
  }
  if (fromExtension !== undefined && fromExtension !== '') {
    candidates.push({ executable: fromExtension, origin: 'python-extension' });
  }
  const names = env.platform === 'win32' ? ['python', 'py'] : ['python3', 'python'];
  const onPath = names.map((name) => findOnPath(name, env)).find((found) => found !== undefined);
  if (onPath !== undefined) {
    candidates.push({ executable: onPath, origin: 'path' });
  } else {
    notFound.push(`no ${names[0]} on PATH`);
  }
  const unique = candidates.filter((c, i) => candidates.findIndex((d) => d.executable === c.executable) === i);
  return { candidates: unique, notFound };
}

export function parseProbe(output: string): ProbeResult | undefined {
  const line = output.trim().split(/\r?\n/).pop() ?? '';
  try {
    const parsed = JSON.parse(line) as ProbeResult;
    return Array.isArray(parsed.version) && typeof parsed.libsTag === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Why `probe` makes this interpreter unusable for the bundle, or undefined when it fits. */
export function unfitReason(probe: ProbeResult, availableTags: readonly string[]): string | undefined {
  const [major = 0, minor = 0] = probe.version;
  const version = probe.version.join('.');
  if (major < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor < MIN_PYTHON[1])) {
    return `Python ${version} is too old (ctx-lsp needs ${MIN_PYTHON.join('.')} or newer)`;
  }
  if (!availableTags.includes(probe.libsTag)) {
    const supported = availableTags.map((tag) => `${tag[2]}.${tag.slice(3)}`).join(', ');
    return `Python ${version} has no bundled tree-sitter in this extension (bundled for ${supported})`;
  }
  if (probe.importError !== undefined) {
    return `the bundled server does not load with Python ${version}: ${probe.importError}`;
  }
  return undefined;
}

export interface BundledLaunch {
  readonly command: string;
  readonly args: string[];
  /** PYTHONPATH for the server process. */
  readonly pythonPath: string;
  readonly python: PythonCandidate;
}

export type BundledResolution =
  | { readonly ok: true; readonly launch: BundledLaunch }
  | { readonly ok: false; readonly problem: LaunchProblem };

/**
 * The first candidate that runs the bundled server; when none does, one notification that
 * lists every interpreter tried, why it does not fit, and the ways out.
 */
export async function resolveBundled(
  libsDir: string,
  availableTags: readonly string[],
  settings: ExtensionSettings,
  env: LaunchEnvironment,
  fromExtension: string | undefined,
  probe: Probe,
): Promise<BundledResolution> {
  const { candidates, notFound } = pythonCandidates(settings, env, fromExtension);
  const reasons = [...notFound];
  for (const candidate of candidates) {
    let result: ProbeResult | undefined;
    try {
      // -I: isolated (no PYTHON* variables, no user site, not the workspace on sys.path).
      result = parseProbe(await probe(candidate.executable, ['-I', '-c', PROBE_SCRIPT, libsDir]));
    } catch (error: unknown) {
      reasons.push(`${candidate.executable} could not be run (${error instanceof Error ? error.message : String(error)})`);
      continue;
    }
    if (result === undefined) {
      reasons.push(`${candidate.executable} did not answer as a Python interpreter`);
      continue;
    }
    const reason = unfitReason(result, availableTags);
    if (reason !== undefined) {
      reasons.push(`${candidate.executable}: ${reason}`);
      continue;
    }
    const api = env.platform === 'win32' ? path.win32 : path.posix;
    const delimiter = env.platform === 'win32' ? ';' : ':';
    return {
      ok: true,
      launch: {
        command: candidate.executable,
        args: ['-P', '-m', SERVER_MODULE, SERVE_SUBCOMMAND, ...settings.serverArgs],
        pythonPath: [api.join(libsDir, result.libsTag), api.join(libsDir, 'common')].join(delimiter),
        python: candidate,
      },
    };
  }
  return {
    ok: false,
    problem: {
      message:
        `ctx-lsp needs Python ${MIN_PYTHON.join('.')} or newer to run its bundled server, and none was found ` +
        `(${reasons.join('; ')}). Install Python ${MIN_PYTHON.join('.')}+ so that python3 is on PATH, or select ` +
        `one in the Python extension or with ${SETTINGS_SECTION}.interpreter, or set ${SETTINGS_SECTION}.path ` +
        'to a ctx-lsp executable you installed yourself.',
      setting: `${SETTINGS_SECTION}.interpreter`,
    },
  };
}
