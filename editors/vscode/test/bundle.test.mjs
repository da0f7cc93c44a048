// Loads the esbuild bundle (dist/extension.js) the way the extension host does, with a
// small stand-in for the `vscode` module, and checks the wiring that needs no server:
// both commands are registered, and a machine without ctx-lsp gets an error notification
// that names the fix and opens the right setting. Needs `npm run build` first.

import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const Module = require('node:module');
const bundlePath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'extension.js');

/** Records what the extension asked of the editor. */
const editor = {
  commands: new Map(),
  executed: [],
  errors: [],
  warnings: [],
  outputShown: 0,
  log: [],
  settings: {},
  /** The button the fake user clicks on the next error notification. */
  answerToError: undefined,
  errorShown: undefined,
};

function disposable() {
  return { dispose() {} };
}

const outputChannel = {
  name: 'ctx-lsp',
  logLevel: 2,
  onDidChangeLogLevel: () => disposable(),
  trace: (line) => editor.log.push(['trace', line]),
  debug: (line) => editor.log.push(['debug', line]),
  info: (line) => editor.log.push(['info', line]),
  warn: (line) => editor.log.push(['warn', line]),
  error: (line) => editor.log.push(['error', line]),
  append: () => undefined,
  appendLine: (line) => editor.log.push(['line', line]),
  replace: () => undefined,
  clear: () => undefined,
  show: () => {
    editor.outputShown += 1;
  },
  hide: () => undefined,
  dispose: () => undefined,
};

const fakeVscode = {
  version: '1.91.0',
  window: {
    createOutputChannel: () => outputChannel,
    showErrorMessage: (message, ...buttons) => {
      editor.errors.push({ message, buttons });
      editor.errorShown?.();
      return Promise.resolve(editor.answerToError);
    },
    showWarningMessage: (message, ...buttons) => {
      editor.warnings.push({ message, buttons });
      return Promise.resolve(undefined);
    },
    showInformationMessage: () => Promise.resolve(undefined),
  },
  commands: {
    registerCommand: (id, handler) => {
      editor.commands.set(id, handler);
      return disposable();
    },
    executeCommand: (id, ...args) => {
      editor.executed.push([id, ...args]);
      return Promise.resolve(undefined);
    },
  },
  workspace: {
    workspaceFolders: undefined,
    getConfiguration: (section) => ({
      get: (key) => editor.settings[`${section}.${key}`],
      inspect: (key) => ({ key: `${section}.${key}`, globalValue: editor.settings[`${section}.${key}`] }),
    }),
    onDidChangeConfiguration: () => disposable(),
    onDidGrantWorkspaceTrust: () => disposable(),
  },
  extensions: { getExtension: () => undefined },
};

// vscode-languageclient defines classes extending vscode types when it loads; any name
// the stand-in lacks resolves to an empty class so that loading works.
const vscodeModule = new Proxy(fakeVscode, {
  get: (target, name) => (name in target ? target[name] : class VscodeStandIn {}),
});

let extension;
let emptyPathDirectory;
let savedPath;
let originalLoad;

before(() => {
  originalLoad = Module._load;
  Module._load = function loadWithVscode(request, ...rest) {
    return request === 'vscode' ? vscodeModule : originalLoad.call(this, request, ...rest);
  };
  extension = require(bundlePath);
  // A PATH with nothing on it, so that ctx-lsp cannot be found.
  emptyPathDirectory = mkdtempSync(path.join(tmpdir(), 'ctx-lsp-empty-path-'));
  savedPath = process.env.PATH;
  process.env.PATH = emptyPathDirectory;
});

after(() => {
  Module._load = originalLoad;
  process.env.PATH = savedPath;
  rmSync(emptyPathDirectory, { recursive: true, force: true });
});

test('the bundle exports activate and deactivate', () => {
  assert.equal(typeof extension.activate, 'function');
  assert.equal(typeof extension.deactivate, 'function');
});

test('activate registers both commands and reports a missing server with the fix', async () => {
  editor.answerToError = 'Open Settings';
  const errorShown = new Promise((resolve) => {
    editor.errorShown = resolve;
  });
  // An extension directory without bundled/: a build from source, which looks for ctx-lsp on PATH.
  const context = { subscriptions: [], extensionPath: emptyPathDirectory };
  extension.activate(context);
  assert.deepEqual([...editor.commands.keys()].sort(), ['ctxLsp.restart', 'ctxLsp.showOutput']);
  assert.ok(context.subscriptions.length >= 3, 'commands and listeners are handed to VS Code for disposal');

  await errorShown;
  assert.equal(editor.errors.length, 1);
  const [{ message, buttons }] = editor.errors;
  assert.match(message, /not on PATH/);
  assert.match(message, /ctxLsp\.path/);
  assert.deepEqual(buttons, ['Open Settings', 'Show Output']);
  // The fake user clicked "Open Settings": the Settings UI opens on ctxLsp.path.
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(editor.executed, [['workbench.action.openSettings', 'ctxLsp.path']]);
  assert.ok(editor.log.some(([level, line]) => level === 'error' && line === message), 'the error is also logged');
});

test('ctx-lsp: Show Output reveals the output channel', async () => {
  const shownBefore = editor.outputShown;
  await editor.commands.get('ctxLsp.showOutput')();
  assert.equal(editor.outputShown, shownBefore + 1);
});

test('invalid settings are reported once, and a restart with a bad ctxLsp.path names that path', async () => {
  editor.settings = { 'ctxLsp.debounceMs': -1, 'ctxLsp.path': '/nowhere/ctx-lsp' };
  editor.answerToError = undefined;
  editor.errors.length = 0;
  await editor.commands.get('ctxLsp.restart')();
  assert.equal(editor.warnings.length, 1);
  assert.match(editor.warnings[0].message, /ctxLsp\.debounceMs/);
  assert.equal(editor.errors.length, 1);
  assert.match(editor.errors[0].message, /"\/nowhere\/ctx-lsp" set in ctxLsp\.path was not found/);
  await editor.commands.get('ctxLsp.restart')();
  assert.equal(editor.warnings.length, 1, 'the same invalid setting is not reported again');
});

test('with a bundled server and no Python on PATH, the notification says what is missing', async () => {
  await extension.deactivate();
  const extensionDir = mkdtempSync(path.join(tmpdir(), 'ctx-lsp-bundled-'));
  mkdirSync(path.join(extensionDir, 'bundled', 'libs', 'cp311'), { recursive: true });
  editor.settings = {};
  editor.answerToError = undefined;
  editor.errors.length = 0;
  const errorShown = new Promise((resolve) => {
    editor.errorShown = resolve;
  });
  extension.activate({ subscriptions: [], extensionPath: extensionDir });
  await errorShown;
  assert.equal(editor.errors.length, 1);
  const { message } = editor.errors[0];
  assert.match(message, /needs Python 3\.11 or newer to run its bundled server/);
  assert.match(message, /no python3 on PATH/);
  assert.match(message, /ctxLsp\.interpreter/);
  assert.match(message, /ctxLsp\.path/);
  rmSync(extensionDir, { recursive: true, force: true });
});

test('deactivate completes without a running server', async () => {
  await extension.deactivate();
});
