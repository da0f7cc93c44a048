// Pure configuration and launch logic of the ctx-lsp VS Code extension.
//
// Nothing here imports `vscode`: the extension host hands in raw setting values and
// facts about the machine (PATH, which files are executable, the Python extension's
// interpreter), so every decision below can be unit-tested with plain node:test.

import * as path from 'node:path';

/** The settings section; also the language client id, so `ctxLsp.trace.server` works. */
export const SETTINGS_SECTION = 'ctxLsp';

export const RULE_SETTINGS = ['on', 'off', 'error', 'warning', 'information', 'hint'] as const;
export type RuleSetting = (typeof RULE_SETTINGS)[number];

export const SEVERITIES = ['hint', 'information', 'warning', 'error'] as const;
export type Severity = (typeof SEVERITIES)[number];

// vscode-languageclient 11 coerces "off" to "messages"; tracing is switched on and off
// by the output channel's log level instead, so "off" is not offered.
export const TRACE_LEVELS = ['messages', 'verbose'] as const;
export type TraceLevel = (typeof TRACE_LEVELS)[number];

export const COMMANDS = {
  restart: 'ctxLsp.restart',
  showOutput: 'ctxLsp.showOutput',
} as const;

/** Longest debounce accepted; a larger value would make the editor look broken (the server's
 *  clamp, written here by scripts/gen_rule_docs.py). */
export const MAX_DEBOUNCE_MS = 10_000;

export interface ExtensionSettings {
  /** `ctxLsp.path`: the ctx-lsp executable; empty means "find it". */
  readonly path: string;
  /** `ctxLsp.interpreter`: Python used for `-m ctx_lsp`; empty means "ask the Python extension". */
  readonly interpreter: string;
  /** `ctxLsp.serverArgs`: appended after `serve`. */
  readonly serverArgs: readonly string[];
  /** Only the rules the user configured; the others keep the server's choice. */
  readonly rules: Readonly<Record<string, RuleSetting>>;
  /** Undefined when the user did not set it: the server's default or `.ctx-lsp.toml` decides. */
  readonly minSeverity: Severity | undefined;
  /** Undefined when the user did not set it: the server's default or `.ctx-lsp.toml` decides. */
  readonly debounceMs: number | undefined;
  /** `ctxLsp.trace.server`, read by vscode-languageclient itself. */
  readonly trace: TraceLevel;
}

export const DEFAULT_SETTINGS: ExtensionSettings = Object.freeze({
  path: '',
  interpreter: '',
  serverArgs: Object.freeze([]) as readonly string[],
  rules: Object.freeze({}),
  minSeverity: undefined,
  debounceMs: undefined,
  trace: 'messages',
});

/**
 * What the server uses when neither the editor nor a `.ctx-lsp.toml` sets a value (the same
 * as `ctx-lsp check`; the line below is written by scripts/gen_rule_docs.py from
 * engine.config, and tests/test_generated_docs.py fails when it is stale). The extension sends only what the user
 * set, so that a project's `.ctx-lsp.toml` is not overridden by editor defaults; these
 * values are shown as defaults in the Settings UI.
 */
export const SERVER_DEFAULTS = Object.freeze({ minSeverity: 'information' as Severity, debounceMs: 150 });

/** Settings (relative to `ctxLsp.`) whose change needs a new server process. */
export const RESTART_SETTINGS: readonly string[] = ['path', 'interpreter', 'serverArgs'];
/** Settings (relative to `ctxLsp.`) the running server takes through didChangeConfiguration. */
export const SERVER_SETTINGS: readonly string[] = ['rules', 'minSeverity', 'debounceMs'];

/** Returns the value of `ctxLsp.<key>` the user set, or undefined when no scope sets it. */
export type SettingReader = (key: string) => unknown;

export interface SettingsResult {
  readonly settings: ExtensionSettings;
  /** One sentence per ignored value, naming the setting and what was used instead. */
  readonly problems: readonly string[];
}

/** Reads and validates every setting; an invalid value is replaced by its default and reported. */
export function readSettings(read: SettingReader): SettingsResult {
  const problems: string[] = [];
  const settings: ExtensionSettings = {
    path: readString(read, 'path', problems),
    interpreter: readString(read, 'interpreter', problems),
    serverArgs: readStringArray(read, 'serverArgs', problems),
    rules: readRules(read('rules'), problems),
    minSeverity: readEnum(read, 'minSeverity', SEVERITIES, undefined, problems),
    debounceMs: readDebounce(read('debounceMs'), problems),
    trace: readEnum(read, 'trace.server', TRACE_LEVELS, DEFAULT_SETTINGS.trace, problems) ?? DEFAULT_SETTINGS.trace,
  };
  return { settings, problems };
}

function describeValue(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

function readString(read: SettingReader, key: string, problems: string[]): string {
  const value = read(key);
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value !== 'string') {
    problems.push(`${SETTINGS_SECTION}.${key} must be a string, not ${describeValue(value)}; ignoring it.`);
    return '';
  }
  return value.trim();
}

function readStringArray(read: SettingReader, key: string, problems: string[]): string[] {
  const value = read(key);
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    problems.push(`${SETTINGS_SECTION}.${key} must be a list of strings, not ${describeValue(value)}; ignoring it.`);
    return [];
  }
  return [...value];
}

function readEnum<T extends string, F extends T | undefined>(
  read: SettingReader,
  key: string,
  allowed: readonly T[],
  fallback: F,
  problems: string[],
): T | F {
  const value = read(key);
  if (value === undefined || value === null) {
    return fallback;
  }
  const normalised = typeof value === 'string' ? value.trim().toLowerCase() : value;
  if ((allowed as readonly unknown[]).includes(normalised)) {
    return normalised as T;
  }
  const instead = fallback === undefined ? "the server's default applies" : `using "${fallback}"`;
  problems.push(`${SETTINGS_SECTION}.${key} must be one of ${allowed.join(', ')}, not ${describeValue(value)}; ${instead}.`);
  return fallback;
}

function readDebounce(value: unknown, problems: string[]): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_DEBOUNCE_MS) {
    return value;
  }
  problems.push(
    `${SETTINGS_SECTION}.debounceMs must be a whole number of milliseconds from 0 to ${MAX_DEBOUNCE_MS}, ` +
      `not ${describeValue(value)}; the server's default applies.`,
  );
  return undefined;
}

function readRules(value: unknown, problems: string[]): Record<string, RuleSetting> {
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    problems.push(
      `${SETTINGS_SECTION}.rules must be an object mapping rule ids to ${RULE_SETTINGS.join('|')}, ` +
        `not ${describeValue(value)}; ignoring it.`,
    );
    return {};
  }
  const rules: Record<string, RuleSetting> = {};
  for (const [ruleId, setting] of Object.entries(value as Record<string, unknown>)) {
    // true/false are accepted as on/off, as the server and .ctx-lsp.toml accept them.
    const normalised =
      typeof setting === 'string' ? setting.trim().toLowerCase() : typeof setting === 'boolean' ? (setting ? 'on' : 'off') : setting;
    if (ruleId.trim() !== '' && (RULE_SETTINGS as readonly unknown[]).includes(normalised)) {
      rules[ruleId.trim()] = normalised as RuleSetting;
    } else {
      problems.push(
        `${SETTINGS_SECTION}.rules["${ruleId}"] must be one of ${RULE_SETTINGS.join(', ')}, ` +
          `not ${describeValue(setting)}; the rule keeps its default.`,
      );
    }
  }
  return rules;
}

/** What the server understands, as agreed in the server contract; unset values are left out. */
export interface ServerSettings {
  readonly rules: Readonly<Record<string, RuleSetting>>;
  readonly minSeverity?: Severity;
  readonly debounceMs?: number;
}

export function serverSettings(settings: ExtensionSettings): ServerSettings {
  return {
    // Always sent, even empty: an empty table changes nothing and keeps the shape stable.
    rules: { ...settings.rules },
    ...(settings.minSeverity !== undefined ? { minSeverity: settings.minSeverity } : {}),
    ...(settings.debounceMs !== undefined ? { debounceMs: settings.debounceMs } : {}),
  };
}

/** `initializationOptions` of the initialize request: the server settings under `ctxLsp`. */
export function initializationOptions(settings: ExtensionSettings): { ctxLsp: ServerSettings } {
  return { [SETTINGS_SECTION]: serverSettings(settings) } as { ctxLsp: ServerSettings };
}

/** `settings` of workspace/didChangeConfiguration: the same shape as the initialization options. */
export function didChangeConfigurationSettings(settings: ExtensionSettings): { ctxLsp: ServerSettings } {
  return initializationOptions(settings);
}

/** What changed between two readings of the settings, and what that requires. */
export type SettingsChange = 'none' | 'notify-server' | 'restart';

export function classifyChange(before: ExtensionSettings, after: ExtensionSettings): SettingsChange {
  const differs = (key: string): boolean =>
    JSON.stringify((before as unknown as Record<string, unknown>)[key]) !==
    JSON.stringify((after as unknown as Record<string, unknown>)[key]);
  if (RESTART_SETTINGS.some(differs)) {
    return 'restart';
  }
  if (SERVER_SETTINGS.some(differs)) {
    return 'notify-server';
  }
  return 'none';
}

// ---------------------------------------------------------------------------------------
// Finding and launching the server

/** Facts about the machine that launch resolution needs; the extension fills them in. */
export interface LaunchEnvironment {
  readonly platform: NodeJS.Platform;
  /** The PATH of the extension host. */
  readonly pathVariable: string | undefined;
  /** PATHEXT (Windows only). */
  readonly pathExt: string | undefined;
  readonly homeDir: string;
  /** First workspace folder, used for `${workspaceFolder}` and relative paths. */
  readonly workspaceFolder: string | undefined;
  /** True when the path names an existing file this user may execute. */
  readonly isExecutableFile: (candidate: string) => boolean;
}

export type LaunchSource = 'path-setting' | 'path-lookup' | 'interpreter-setting' | 'python-extension' | 'bundled';

export interface ServerLaunch {
  readonly command: string;
  readonly args: readonly string[];
  readonly source: LaunchSource;
  /** Extra environment for the server process (the bundled server's PYTHONPATH). */
  readonly env?: Readonly<Record<string, string>>;
}

export interface LaunchProblem {
  /** A complete sentence for an error notification, including the fix. */
  readonly message: string;
  /** The setting the notification's "Open Settings" button should show. */
  readonly setting: string;
}

export type LaunchResolution =
  | { readonly ok: true; readonly launch: ServerLaunch }
  | { readonly ok: false; readonly problem: LaunchProblem };

export const SERVER_EXECUTABLE = 'ctx-lsp';
export const SERVER_MODULE = 'ctx_lsp';
export const SERVE_SUBCOMMAND = 'serve';

/**
 * Decides which program to start, in this order:
 * 1. `ctxLsp.path`, when set;
 * 2. `ctx-lsp` on PATH;
 * 3. `<python> -m ctx_lsp` with `ctxLsp.interpreter`, when set;
 * 4. `<python> -m ctx_lsp` with the Python extension's interpreter (`pythonFromExtension`).
 * `pythonFromExtension` is a function so that the (slow) Python extension is only
 * consulted when steps 1-3 did not decide.
 */
export async function resolveLaunch(
  settings: ExtensionSettings,
  env: LaunchEnvironment,
  pythonFromExtension: () => Promise<string | undefined>,
): Promise<LaunchResolution> {
  const serverArgs = [SERVE_SUBCOMMAND, ...settings.serverArgs];
  if (settings.path !== '') {
    const found = locateConfiguredProgram(settings.path, env);
    if (found === undefined) {
      return failure(
        `ctx-lsp: the server executable "${settings.path}" set in ${SETTINGS_SECTION}.path was not found ` +
          `or is not executable. Correct ${SETTINGS_SECTION}.path, or clear it to use the server bundled with the extension.`,
        `${SETTINGS_SECTION}.path`,
      );
    }
    return success(found, serverArgs, 'path-setting');
  }
  const onPath = findOnPath(SERVER_EXECUTABLE, env);
  if (onPath !== undefined) {
    return success(onPath, serverArgs, 'path-lookup');
  }
  // -P: never put the working directory (the user's workspace) on sys.path, so a ctx_lsp
  // package inside the analysed code can never be imported instead of ours.
  const moduleArgs = ['-P', '-m', SERVER_MODULE, ...serverArgs];
  if (settings.interpreter !== '') {
    const python = locateConfiguredProgram(settings.interpreter, env);
    if (python === undefined) {
      return failure(
        `ctx-lsp: the Python interpreter "${settings.interpreter}" set in ${SETTINGS_SECTION}.interpreter ` +
          `was not found or is not executable. Correct ${SETTINGS_SECTION}.interpreter, or set ` +
          `${SETTINGS_SECTION}.path to the ctx-lsp executable.`,
        `${SETTINGS_SECTION}.interpreter`,
      );
    }
    return success(python, moduleArgs, 'interpreter-setting');
  }
  const python = await pythonFromExtension();
  if (python !== undefined && python !== '') {
    return success(python, moduleArgs, 'python-extension');
  }
  return failure(
    'ctx-lsp: the ctx-lsp language server was not found: it is not on PATH and no Python interpreter ' +
      `is selected. Install ctx-lsp so that "ctx-lsp" is on PATH (for example with pipx), or set ` +
      `${SETTINGS_SECTION}.path to the ctx-lsp executable, or set ${SETTINGS_SECTION}.interpreter to a ` +
      'Python that has ctx-lsp installed.',
    `${SETTINGS_SECTION}.path`,
  );
}

function success(command: string, args: readonly string[], source: LaunchSource): LaunchResolution {
  return { ok: true, launch: { command, args: [...args], source } };
}

function failure(message: string, setting: string): LaunchResolution {
  return { ok: false, problem: { message, setting } };
}

function pathApi(platform: NodeJS.Platform): path.PlatformPath {
  return platform === 'win32' ? path.win32 : path.posix;
}

/**
 * Expands `~`, `${userHome}` and `${workspaceFolder}`. Returns undefined when the value
 * needs a workspace folder and there is none.
 */
export function expandVariables(value: string, env: LaunchEnvironment): string | undefined {
  let expanded = value;
  if (expanded === '~' || expanded.startsWith('~/') || (env.platform === 'win32' && expanded.startsWith('~\\'))) {
    expanded = env.homeDir + expanded.slice(1);
  }
  expanded = expanded.split('${userHome}').join(env.homeDir);
  if (expanded.includes('${workspaceFolder}')) {
    if (env.workspaceFolder === undefined) {
      return undefined;
    }
    expanded = expanded.split('${workspaceFolder}').join(env.workspaceFolder);
  }
  return expanded;
}

/**
 * Turns a setting value into an executable path: a bare name is looked up on PATH, a
 * relative path is taken relative to the workspace folder.
 */
export function locateConfiguredProgram(value: string, env: LaunchEnvironment): string | undefined {
  const expanded = expandVariables(value, env);
  if (expanded === undefined) {
    return undefined;
  }
  const api = pathApi(env.platform);
  const hasSeparator = expanded.includes('/') || (env.platform === 'win32' && expanded.includes('\\'));
  if (!hasSeparator) {
    return findOnPath(expanded, env);
  }
  let candidate = expanded;
  if (!api.isAbsolute(candidate)) {
    if (env.workspaceFolder === undefined) {
      return undefined;
    }
    candidate = api.resolve(env.workspaceFolder, candidate);
  }
  return firstExecutable(withWindowsExtensions(candidate, env), env);
}

/** Searches PATH like a shell does; on Windows also tries each PATHEXT extension. */
export function findOnPath(name: string, env: LaunchEnvironment): string | undefined {
  const api = pathApi(env.platform);
  const directories = (env.pathVariable ?? '').split(api.delimiter).filter((dir) => dir !== '');
  for (const directory of directories) {
    const found = firstExecutable(withWindowsExtensions(api.join(directory, name), env), env);
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

function withWindowsExtensions(candidate: string, env: LaunchEnvironment): string[] {
  if (env.platform !== 'win32') {
    return [candidate];
  }
  const extensions = (env.pathExt ?? '.COM;.EXE;.BAT;.CMD').split(';').filter((ext) => ext !== '');
  const lower = candidate.toLowerCase();
  if (extensions.some((ext) => lower.endsWith(ext.toLowerCase()))) {
    return [candidate];
  }
  return extensions.map((ext) => candidate + ext.toLowerCase());
}

function firstExecutable(candidates: readonly string[], env: LaunchEnvironment): string | undefined {
  return candidates.find((candidate) => env.isExecutableFile(candidate));
}

// ---------------------------------------------------------------------------------------
// Explaining failures

/** Quotes a command line for logs and notifications. */
export function formatCommandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map(quoteArgument).join(' ');
}

function quoteArgument(arg: string): string {
  return arg !== '' && /^[\w@%+=:,./\\-]+$/.test(arg) ? arg : `"${arg.replace(/(["\\$`])/g, '\\$1')}"`;
}

/** Keeps the last lines the server wrote to stderr, so a failure can quote them. */
export class StderrTail {
  private readonly lines: string[] = [];

  constructor(private readonly maxLines = 20) {}

  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.maxLines) {
      this.lines.shift();
    }
  }

  clear(): void {
    this.lines.length = 0;
  }

  text(): string {
    return this.lines.join('\n');
  }

  /** The last non-blank line, which for a Python traceback is the exception. */
  lastLine(): string | undefined {
    return [...this.lines].reverse().find((line) => line.trim() !== '')?.trim();
  }
}

function settingFor(launch: ServerLaunch): string {
  return launch.source === 'interpreter-setting' || launch.source === 'bundled'
    ? `${SETTINGS_SECTION}.interpreter`
    : `${SETTINGS_SECTION}.path`;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';

/**
 * The output-channel level of one line the server wrote to stderr. The server logs as
 * "ctx-lsp LEVEL logger: message"; other lines (a traceback) are errors. pygls warns
 * "Cancel notification for unknown message id" when the editor cancels a request that was
 * already answered, which happens in normal use: logged as debug, not as an error.
 */
export function stderrLevel(line: string, previous: LogLevel = 'error'): LogLevel {
  if (/Cancel notification for unknown message id/.test(line)) {
    return 'debug';
  }
  const match = /^ctx-lsp (DEBUG|INFO|WARNING|ERROR|CRITICAL)\b/.exec(line);
  if (match === null) {
    // Continuation lines (a traceback after an ERROR line) keep the level before them.
    return /^\s/.test(line) ? previous : 'error';
  }
  const levels: Record<string, LogLevel> = {
    DEBUG: 'debug',
    INFO: 'info',
    WARNING: 'warn',
    ERROR: 'error',
    CRITICAL: 'error',
  };
  return levels[match[1] ?? 'ERROR'] ?? 'error';
}

/**
 * The notification for a server that could not be started or died during initialize.
 * `errorText` is the launcher's error, `stderr` what the process printed before it died.
 */
export function startFailureMessage(launch: ServerLaunch, errorText: string, stderr: string): LaunchProblem {
  const commandLine = formatCommandLine(launch.command, launch.args);
  const missingModule = /No module named '?([\w.]+)'?/.exec(stderr);
  if (missingModule !== null) {
    return missingModuleProblem(launch, missingModule[1] ?? '');
  }
  if (/\bENOENT\b/.test(errorText)) {
    return {
      message: `ctx-lsp: ${launch.command} could not be started because it does not exist. Correct ${settingFor(launch)}.`,
      setting: settingFor(launch),
    };
  }
  if (/\bEACCES\b/.test(errorText)) {
    return {
      message: `ctx-lsp: ${launch.command} could not be started because it is not executable. Make it executable or correct ${settingFor(launch)}.`,
      setting: settingFor(launch),
    };
  }
  if (/^timed out\b/.test(errorText)) {
    return {
      message:
        `ctx-lsp: the server (${commandLine}) did not finish starting (${errorText}) and was stopped. ` +
        `See "ctx-lsp: Show Output" for what it printed, then run "ctx-lsp: Restart Server".`,
      setting: settingFor(launch),
    };
  }
  if (/unrecognized arguments|invalid choice|usage:/i.test(stderr)) {
    return {
      message:
        `ctx-lsp rejected its command line (${commandLine}): ${lastNonBlankLine(stderr)}. ` +
        `Check ${SETTINGS_SECTION}.serverArgs, and that ${launch.command} is a ctx-lsp recent enough to have "serve".`,
      setting: `${SETTINGS_SECTION}.serverArgs`,
    };
  }
  const reason = lastNonBlankLine(stderr) ?? errorText;
  return {
    message:
      `ctx-lsp: the server (${commandLine}) failed to start: ${reason}. ` +
      `See "ctx-lsp: Show Output" for the details, fix the cause, then run "ctx-lsp: Restart Server".`,
    setting: settingFor(launch),
  };
}

/** `python -m ctx_lsp` (or the ctx-lsp script) died on an import: say which environment lacks what. */
function missingModuleProblem(launch: ServerLaunch, moduleName: string): LaunchProblem {
  const usesPython = launch.source === 'interpreter-setting' || launch.source === 'python-extension';
  const alternative =
    launch.source === 'python-extension'
      ? `select an interpreter that has ctx-lsp in the Python extension, or set ${SETTINGS_SECTION}.path to the ctx-lsp executable`
      : launch.source === 'interpreter-setting'
        ? `set ${SETTINGS_SECTION}.interpreter to a Python that has ctx-lsp, or set ${SETTINGS_SECTION}.path to the ctx-lsp executable`
        : `set ${SETTINGS_SECTION}.path to a working ctx-lsp executable`;
  const setting = settingFor(launch);
  if (usesPython && (moduleName === SERVER_MODULE || moduleName === `${SERVER_MODULE}.__main__`)) {
    return {
      message:
        `ctx-lsp is not installed for the Python interpreter ${launch.command}. Install it into that ` +
        `environment (for example "${launch.command}" -m pip install <path to ctx-lsp>), or ${alternative}.`,
      setting,
    };
  }
  if (moduleName === SERVER_MODULE || moduleName.startsWith(`${SERVER_MODULE}.`)) {
    return {
      message:
        `ctx-lsp cannot start with ${launch.command}: its installation there lacks the module "${moduleName}", ` +
        `so it is incomplete or older than this extension. Reinstall or upgrade ctx-lsp there, or ${alternative}.`,
      setting,
    };
  }
  return {
    message:
      `ctx-lsp cannot start with ${launch.command}: its dependency "${moduleName}" is missing from that ` +
      `environment. Reinstall ctx-lsp there with pip so that its dependencies are installed, or ${alternative}.`,
    setting,
  };
}

function lastNonBlankLine(text: string): string | undefined {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .pop();
}

/**
 * Crash policy: restart a server that died, unless it died `maxCrashes` times within
 * `windowMs`; then give up and tell the user, instead of restarting forever.
 */
export class CrashPolicy {
  private readonly crashTimes: number[] = [];

  constructor(
    private readonly maxCrashes = 5,
    private readonly windowMs = 3 * 60 * 1000,
  ) {}

  /** Records a crash at `now` and says whether to start the server again. */
  shouldRestart(now: number): boolean {
    this.crashTimes.push(now);
    while (this.crashTimes.length > 0 && now - (this.crashTimes[0] ?? now) > this.windowMs) {
      this.crashTimes.shift();
    }
    return this.crashTimes.length < this.maxCrashes;
  }

  reset(): void {
    this.crashTimes.length = 0;
  }

  get crashes(): number {
    return this.crashTimes.length;
  }
}

export function crashMessage(crashes: number, stderr: string): string {
  const reason = lastNonBlankLine(stderr);
  return (
    `ctx-lsp: the server stopped unexpectedly ${crashes} times in a few minutes and will not be restarted` +
    (reason !== undefined ? ` (last error: ${reason})` : '') +
    '. See "ctx-lsp: Show Output", fix the cause, then run "ctx-lsp: Restart Server".'
  );
}

/**
 * Splits a command line the way a POSIX shell would for the simple cases: whitespace
 * separates words, single quotes are literal, double quotes allow backslash escapes.
 * Used for the CTX_LSP_SERVER variable of the smoke test.
 */
export function splitCommandLine(commandLine: string): string[] {
  const words: string[] = [];
  let current = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < commandLine.length; index++) {
    const char = commandLine.charAt(index);
    if (quote === "'") {
      if (char === "'") {
        quote = undefined;
      } else {
        current += char;
      }
    } else if (quote === '"') {
      if (char === '"') {
        quote = undefined;
      } else if (char === '\\' && index + 1 < commandLine.length && '"\\$`'.includes(commandLine.charAt(index + 1))) {
        current += commandLine.charAt(++index);
      } else {
        current += char;
      }
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\' && index + 1 < commandLine.length) {
      current += commandLine.charAt(++index);
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) {
        words.push(current);
        current = '';
        inWord = false;
      }
    } else {
      current += char;
      inWord = true;
    }
  }
  if (quote !== undefined) {
    throw new Error(`unterminated ${quote} quote in command line: ${commandLine}`);
  }
  if (inWord) {
    words.push(current);
  }
  return words;
}
