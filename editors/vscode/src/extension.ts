// VS Code entry point of ctx-lsp: the only module that imports `vscode`.
//
// It stays thin on purpose. Every decision (which settings are valid, which program to
// start, what to tell the user when that fails) lives in ./config, which has unit tests;
// this file only wires those decisions to the editor and to vscode-languageclient.

import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  LanguageClient,
  RevealOutputChannelOn,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  COMMANDS,
  CrashPolicy,
  SETTINGS_SECTION,
  StderrTail,
  classifyChange,
  crashMessage,
  didChangeConfigurationSettings,
  formatCommandLine,
  initializationOptions,
  readSettings,
  resolveLaunch,
  serverSettings,
  startFailureMessage,
  stderrLevel,
  type ExtensionSettings,
  type LaunchResolution,
  type LogLevel,
  type LaunchEnvironment,
  type LaunchProblem,
  type ServerLaunch,
} from './config';
import { resolveBundled, type Probe } from './bundled';

const CLIENT_NAME = 'ctx-lsp';
/** Coalesces a burst of setting edits (typing a path) into one restart. */
const RESTART_DEBOUNCE_MS = 400;
/** Lets the last stderr lines of a dying server arrive before they are quoted. */
const STDERR_SETTLE_MS = 300;
/** A server that has not answered initialize by then is treated as failed, so that the
 * start/stop queue (and with it "Restart Server") cannot hang on it. */
const START_TIMEOUT_MS = 30_000;
/** How long one interpreter may take to answer the bundle probe. */
const PROBE_TIMEOUT_MS = 20_000;

let controller: ServerController | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  const active = new ServerController(output, path.join(context.extensionPath, 'bundled', 'libs'));
  controller = active;
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand(COMMANDS.restart, () => active.restart()),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => output.show()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(SETTINGS_SECTION)) {
        active.settingsChanged();
      }
    }),
    // Restricted settings (path, interpreter, serverArgs) take their workspace values
    // only once the workspace is trusted.
    vscode.workspace.onDidGrantWorkspaceTrust(() => active.settingsChanged()),
  );
  // Not awaited: activation must not wait for a Python process to come up.
  void active.start();
}

export async function deactivate(): Promise<void> {
  await controller?.dispose();
  controller = undefined;
}

/** A client that can keep its own generic "couldn't create connection" pop-up quiet. */
class CtxLanguageClient extends LanguageClient {
  /** Set while the controller starts the client: it explains failures itself. */
  quietStartErrors = false;

  override error(message: string, data?: unknown, showNotification: boolean | 'force' = true): void {
    super.error(message, data, this.quietStartErrors ? false : showNotification);
  }
}

interface PythonEnvironmentPath {
  readonly id: string;
  readonly path: string;
}

/** The part of the Python extension's API (ms-python.python) used here. */
interface PythonExtensionApi {
  readonly environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): PythonEnvironmentPath;
    resolveEnvironment(
      environment: PythonEnvironmentPath | string,
    ): Promise<{ readonly executable: { readonly uri?: vscode.Uri } } | undefined>;
    readonly onDidChangeActiveEnvironmentPath: vscode.Event<unknown>;
  };
}

class ServerController {
  private client: CtxLanguageClient | undefined;
  private settings: ExtensionSettings;
  private readonly stderr = new StderrTail();
  private readonly crashPolicy = new CrashPolicy();
  private queue: Promise<void> = Promise.resolve();
  private restartTimer: NodeJS.Timeout | undefined;
  private pythonWatch: vscode.Disposable | undefined;
  private reportedSettingsProblems = '';
  /**
   * The client whose own didChangeConfiguration listener reached the middleware: it exists
   * once the server registered for the section (the client calls it right away then).
   */
  private clientSyncingSettings: LanguageClient | undefined;

  constructor(
    private readonly output: vscode.LogOutputChannel,
    /** bundled/libs of this extension; absent in a build without the server. */
    private readonly bundledLibs: string,
  ) {
    this.settings = this.loadSettings();
  }

  start(): Promise<void> {
    return this.enqueue(() => this.startClient());
  }

  restart(): Promise<void> {
    this.crashPolicy.reset();
    return this.enqueue(async () => {
      await this.stopClient();
      this.settings = this.loadSettings();
      await this.startClient();
    });
  }

  settingsChanged(): void {
    const previous = this.settings;
    this.settings = this.loadSettings();
    const change = classifyChange(previous, this.settings);
    if (change === 'restart' || this.client === undefined) {
      this.scheduleRestart();
    } else if (change === 'notify-server' && !this.serverRegisteredForSettings()) {
      // A server that registered for didChangeConfiguration is notified by the client
      // itself, through the middleware below; sending here too would duplicate it.
      void this.sendSettings(this.client);
    }
  }

  private serverRegisteredForSettings(): boolean {
    return this.client !== undefined && this.client === this.clientSyncingSettings;
  }

  private async sendSettings(client: LanguageClient): Promise<void> {
    const settings = didChangeConfigurationSettings(readSettings(settingReader()).settings);
    await client
      .sendNotification(DidChangeConfigurationNotification.type, { settings })
      .catch((error: unknown) => this.output.error(`Sending the new settings failed: ${describeError(error)}`));
  }

  async dispose(): Promise<void> {
    clearTimeout(this.restartTimer);
    await this.enqueue(() => this.stopClient());
  }

  private enqueue(task: () => Promise<void>): Promise<void> {
    // Starts and stops run one at a time and in order, whoever asks for them.
    this.queue = this.queue.then(task).catch((error: unknown) => {
      this.output.error(`ctx-lsp: ${describeError(error)}`);
    });
    return this.queue;
  }

  private scheduleRestart(): void {
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => void this.restart(), RESTART_DEBOUNCE_MS);
  }

  private loadSettings(): ExtensionSettings {
    const { settings, problems } = readSettings(settingReader());
    const report = problems.join('\n');
    if (report !== '' && report !== this.reportedSettingsProblems) {
      problems.forEach((problem) => this.output.warn(problem));
      void vscode.window.showWarningMessage(`ctx-lsp: ${problems[0] ?? ''}`, 'Open Settings').then((choice) => {
        if (choice !== undefined) {
          void vscode.commands.executeCommand('workbench.action.openSettings', SETTINGS_SECTION);
        }
      });
    }
    this.reportedSettingsProblems = report;
    return settings;
  }

  private async startClient(): Promise<void> {
    const resolution = await this.resolve();
    if (!resolution.ok) {
      void this.showProblem(resolution.problem);
      return;
    }
    const launch = resolution.launch;
    if (launch.source === 'python-extension') {
      await this.watchPythonInterpreter();
    }
    this.output.info(`Starting ${formatCommandLine(launch.command, launch.args)} (found via ${launch.source})`);
    this.stderr.clear();
    const client = new CtxLanguageClient(
      SETTINGS_SECTION,
      CLIENT_NAME,
      serverOptions(launch),
      this.clientOptions(launch),
    );
    this.client = client;
    client.quietStartErrors = true;
    try {
      await startWithin(client, START_TIMEOUT_MS);
    } catch (error: unknown) {
      await delay(STDERR_SETTLE_MS);
      this.client = undefined;
      // For a client still starting this throws, but the node client kills the process.
      await client.dispose().catch(() => undefined);
      // Not awaited: the notification may stay open for long, and starts and stops must not wait for it.
      void this.showProblem(startFailureMessage(launch, describeError(error), this.stderr.text()));
    } finally {
      client.quietStartErrors = false;
    }
  }

  /**
   * ctxLsp.path when set; else the bundled server with the first Python that fits; a
   * build without bundled/ (from source) looks for ctx-lsp on PATH and python -m ctx_lsp.
   */
  private async resolve(): Promise<LaunchResolution> {
    const tags = bundledTags(this.bundledLibs);
    if (this.settings.path !== '' || tags.length === 0) {
      return resolveLaunch(this.settings, launchEnvironment(), () => this.pythonFromExtension());
    }
    const interpreter = this.settings.interpreter === '' ? await this.pythonFromExtension() : undefined;
    const bundled = await resolveBundled(
      this.bundledLibs,
      tags,
      this.settings,
      launchEnvironment(),
      interpreter,
      probePython,
    );
    if (!bundled.ok) {
      return bundled;
    }
    const { launch } = bundled;
    this.output.info(`Bundled server with ${launch.command} (${launch.python.origin}); PYTHONPATH=${launch.pythonPath}`);
    return {
      ok: true,
      launch: { command: launch.command, args: launch.args, source: 'bundled', env: { PYTHONPATH: launch.pythonPath } },
    };
  }

  private async stopClient(): Promise<void> {
    this.pythonWatch?.dispose();
    this.pythonWatch = undefined;
    const client = this.client;
    this.client = undefined;
    if (client !== undefined) {
      await client.dispose().catch((error: unknown) => {
        this.output.warn(`Stopping the server failed: ${describeError(error)}`);
      });
    }
  }

  private clientOptions(launch: ServerLaunch): LanguageClientOptions {
    return {
      documentSelector: [
        { scheme: 'file', language: 'go' },
        { scheme: 'untitled', language: 'go' },
      ],
      diagnosticCollectionName: CLIENT_NAME,
      initializationOptions: initializationOptions(this.settings),
      outputChannel: this.output,
      // Failures are explained by showProblem; do not also pop the output open.
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      // Return false so the client does not show the raw initialize error; startClient explains it.
      initializationFailedHandler: () => false,
      errorHandler: this.errorHandler(launch),
      stdioOptions: {
        stdout: (input, channel) => forEachLine(input, (line) => channel.info(line)),
        stderr: (input, channel) => {
          let level: LogLevel = 'error';
          forEachLine(input, (line) => {
            level = stderrLevel(line, level);
            if (level === 'error') {
              this.stderr.push(line);
            }
            channel[level](line);
          });
        },
      },
      middleware: {
        workspace: {
          // When the server registers for didChangeConfiguration on `ctxLsp`, the client
          // would send the raw section: editor-only keys (path, trace...) and package.json
          // defaults that would override the project's .ctx-lsp.toml. Send the validated
          // server settings instead, read fresh because this may run before settingsChanged.
          didChangeConfiguration: async (sections, next) => {
            const client = this.client;
            if (client === undefined || sections === undefined || !sections.includes(SETTINGS_SECTION)) {
              return next(sections);
            }
            this.clientSyncingSettings = client;
            const others = sections.filter((section) => section !== SETTINGS_SECTION);
            if (others.length > 0) {
              await next(others);
            }
            await this.sendSettings(client);
          },
          // A server that pulls its settings gets the same validated values as the
          // initialization options, not the raw section with editor-only keys.
          configuration: async (params, token, next) => {
            const answers = await next(params, token);
            if (!Array.isArray(answers)) {
              return answers;
            }
            return params.items.map((item, index) =>
              item.section === SETTINGS_SECTION ? serverSettings(readSettings(settingReader()).settings) : answers[index],
            );
          },
        },
      },
    };
  }

  private errorHandler(launch: ServerLaunch): ErrorHandler {
    return {
      error: (_error, _message, count) => ({
        action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown,
      }),
      closed: () => {
        if (this.crashPolicy.shouldRestart(Date.now())) {
          this.output.warn('The ctx-lsp server stopped unexpectedly; restarting it.');
          return { action: CloseAction.Restart, handled: true };
        }
        void this.showProblem({
          message: crashMessage(this.crashPolicy.crashes, this.stderr.text()),
          setting: launch.source === 'interpreter-setting' ? `${SETTINGS_SECTION}.interpreter` : `${SETTINGS_SECTION}.path`,
        });
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    };
  }

  private async showProblem(problem: LaunchProblem): Promise<void> {
    this.output.error(problem.message);
    const openSettings = 'Open Settings';
    const showOutput = 'Show Output';
    const choice = await vscode.window.showErrorMessage(problem.message, openSettings, showOutput);
    if (choice === openSettings) {
      await vscode.commands.executeCommand('workbench.action.openSettings', problem.setting);
    } else if (choice === showOutput) {
      this.output.show();
    }
  }

  private async pythonApi(): Promise<PythonExtensionApi | undefined> {
    const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
    if (extension === undefined) {
      return undefined;
    }
    try {
      return extension.isActive ? extension.exports : await extension.activate();
    } catch (error: unknown) {
      this.output.warn(`The Python extension could not be activated: ${describeError(error)}`);
      return undefined;
    }
  }

  private async pythonFromExtension(): Promise<string | undefined> {
    const environments = (await this.pythonApi())?.environments;
    if (environments === undefined) {
      return undefined;
    }
    try {
      const active = environments.getActiveEnvironmentPath(vscode.workspace.workspaceFolders?.[0]?.uri);
      const resolved = await environments.resolveEnvironment(active);
      return resolved?.executable.uri?.fsPath;
    } catch (error: unknown) {
      this.output.warn(`The Python extension did not report an interpreter: ${describeError(error)}`);
      return undefined;
    }
  }

  /** The server runs in the selected interpreter, so selecting another one restarts it. */
  private async watchPythonInterpreter(): Promise<void> {
    const environments = (await this.pythonApi())?.environments;
    this.pythonWatch?.dispose();
    this.pythonWatch = environments?.onDidChangeActiveEnvironmentPath(() => this.scheduleRestart());
  }
}

async function startWithin(client: LanguageClient, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out: no answer to the initialize request within ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
  });
  const started = client.start();
  started.catch(() => undefined); // a late failure after the timeout is already reported
  try {
    await Promise.race([started, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function serverOptions(launch: ServerLaunch): ServerOptions {
  // No `transport` on purpose: TransportKind.stdio would make the client append
  // "--stdio", which `ctx-lsp serve` does not take. Without it, stdio is used as is.
  if (launch.env === undefined) {
    return { command: launch.command, args: [...launch.args] };
  }
  return { command: launch.command, args: [...launch.args], options: { env: { ...process.env, ...launch.env } } };
}

/** The Python versions bundled/libs has tree-sitter for (cp311, cp312...); none without a bundle. */
function bundledTags(libs: string): string[] {
  try {
    return fs.readdirSync(libs).filter((name) => /^cp\d+$/.test(name));
  } catch {
    return [];
  }
}

/** Runs an interpreter for the bundle probe. */
const probePython: Probe = (executable, args) =>
  new Promise((resolve, reject) => {
    execFile(executable, [...args], { timeout: PROBE_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error !== null && stdout.trim() === '') {
        reject(new Error(stderr.trim().split(/\r?\n/).pop() || error.message));
        return;
      }
      resolve(stdout);
    });
  });

function launchEnvironment(): LaunchEnvironment {
  return {
    platform: process.platform,
    pathVariable: process.env['PATH'],
    pathExt: process.env['PATHEXT'],
    homeDir: os.homedir(),
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    isExecutableFile,
  };
}

/** Reads `ctxLsp.*` as config.ts expects: only the values some scope sets. */
function settingReader(): (key: string) => unknown {
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return (key) => (isSetByUser(configuration, key) ? configuration.get(key) : undefined);
}

/**
 * True when some scope (user, workspace, folder) sets the key. Defaults from package.json
 * are not sent to the server, so that a project's .ctx-lsp.toml still applies.
 */
function isSetByUser(configuration: vscode.WorkspaceConfiguration, key: string): boolean {
  const values = configuration.inspect(key);
  return (
    values !== undefined &&
    [values.globalValue, values.workspaceValue, values.workspaceFolderValue].some((value) => value !== undefined)
  );
}

function isExecutableFile(candidate: string): boolean {
  try {
    if (!fs.statSync(candidate).isFile()) {
      return false;
    }
    if (process.platform !== 'win32') {
      fs.accessSync(candidate, fs.constants.X_OK);
    }
    return true;
  } catch {
    return false;
  }
}

function forEachLine(input: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = '';
  input.setEncoding('utf8');
  input.on('data', (chunk: string) => {
    const lines = (pending + chunk).split(/\r?\n/);
    pending = lines.pop() ?? '';
    lines.forEach(onLine);
  });
  input.on('end', () => {
    if (pending !== '') {
      onLine(pending);
    }
  });
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return typeof error === 'string' ? error : JSON.stringify(error);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
