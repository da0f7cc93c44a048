// Smoke test: drives the real ctx-lsp server the way VS Code does, through
// vscode-languageserver-protocol (the JSON-RPC/LSP library under vscode-languageclient),
// over stdio. VS Code itself cannot be downloaded here, so this is the closest check that
// the extension's client and the server agree.
//
// The server command comes from CTX_LSP_SERVER (split like a shell would), for example
//   CTX_LSP_SERVER="/tmp/venv/bin/python -m ctx_lsp serve" npm run test:smoke
// Default: "$VIRTUAL_ENV/bin/python -m ctx_lsp serve" when a virtualenv is active, else
// "python3 -m ctx_lsp serve". It runs with the repository root as working directory, so
// `-m ctx_lsp` finds the checkout even when it is not installed. A server that cannot
// start fails the test; nothing here is skipped.
//
// Needs `npm run build:tests` first (it reuses the compiled src/config.ts).

import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const lsp = require('vscode-languageserver-protocol/node');
const config = require('../out/src/config.js');

const here = path.dirname(fileURLToPath(import.meta.url));
const repositoryRoot = path.resolve(here, '..', '..', '..');

const STEP_TIMEOUT_MS = 15_000;
// The fixture lives at a path that does not exist: the server must work from the buffer.
const documentUri = pathToFileURL(path.join(repositoryRoot, 'smoke-fixture', 'leak.go')).href;
const fixture = 'package p\n\nimport "context"\n\nfunc f(p context.Context) {\n\tctx, _ := context.WithCancel(p)\n\t_ = ctx\n}\n';
const fixedFixture =
  'package p\n\nimport "context"\n\nfunc f(p context.Context) {\n\tctx, cancel := context.WithCancel(p)\n\tdefer cancel()\n\t_ = ctx\n}\n';
const discardedMessage =
  'the cancel function returned by context.WithCancel should be called, not discarded, to avoid a context leak';
/** Where `_` is in the fixture: line 5, utf-16 column 6 (after a tab and "ctx, "). */
const blankRange = { start: { line: 5, character: 6 }, end: { line: 5, character: 7 } };
/** Inside `WithCancel` on line 5. */
const withCancelPosition = { line: 5, character: 21 };

function serverCommand() {
  const configured = process.env.CTX_LSP_SERVER;
  if (configured !== undefined && configured.trim() !== '') {
    return config.splitCommandLine(configured);
  }
  const python = process.env.VIRTUAL_ENV ? path.join(process.env.VIRTUAL_ENV, 'bin', 'python') : 'python3';
  return [python, '-m', 'ctx_lsp', 'serve'];
}

/** What VS Code 1.91 with vscode-languageclient 11 declares, as far as ctx-lsp cares. */
const vscodeLikeCapabilities = {
  // VS Code offers no general.positionEncodings, so the server must fall back to utf-16.
  general: { staleRequestSupport: { cancel: true, retryOnContentModified: [] } },
  workspace: {
    applyEdit: true,
    configuration: true,
    workspaceFolders: true,
    didChangeConfiguration: { dynamicRegistration: true },
    diagnostics: { refreshSupport: true },
  },
  textDocument: {
    synchronization: { dynamicRegistration: true, willSave: true, willSaveWaitUntil: true, didSave: true },
    publishDiagnostics: {
      relatedInformation: true,
      versionSupport: false,
      tagSupport: { valueSet: [1, 2] },
      codeDescriptionSupport: true,
      dataSupport: true,
    },
    hover: { dynamicRegistration: true, contentFormat: ['markdown', 'plaintext'] },
    codeAction: {
      dynamicRegistration: true,
      isPreferredSupport: true,
      disabledSupport: true,
      dataSupport: true,
      resolveSupport: { properties: ['edit'] },
      codeActionLiteralSupport: {
        codeActionKind: {
          valueSet: ['', 'quickfix', 'refactor', 'refactor.extract', 'refactor.inline', 'refactor.rewrite', 'source', 'source.organizeImports'],
        },
      },
      honorsChangeAnnotations: true,
    },
    diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false },
  },
  window: { workDoneProgress: true, showMessage: { messageActionItem: { additionalPropertiesSupport: true } }, showDocument: { support: true } },
};

/** The extension's settings as the user set them; steps below change the rules. */
let extensionSettings = { ...config.DEFAULT_SETTINGS, debounceMs: 50 };

/** One server process and connection shared by the tests below, which run in order. */
const session = {
  process: undefined,
  connection: undefined,
  stderr: '',
  exit: undefined,
  capabilities: undefined,
  published: [],
  publishWaiters: [],
  errorMessages: [],
  documentVersion: 1,
  text: fixture,
  diagnostic: undefined,
  fixEdits: undefined,
};

function withServerOutput(message) {
  const stderr = session.stderr.trim();
  return stderr === '' ? message : `${message}\n--- server stderr ---\n${stderr.slice(-4000)}`;
}

function withTimeout(promise, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(withServerOutput(`timed out after ${STEP_TIMEOUT_MS} ms waiting for ${what}`))), STEP_TIMEOUT_MS);
  });
  const exited = session.exit.then(({ code, signal }) => {
    throw new Error(withServerOutput(`the server exited (code ${code}, signal ${signal}) while waiting for ${what}`));
  });
  return Promise.race([promise, timeout, exited]).finally(() => clearTimeout(timer));
}

/** Resolves with the first publishDiagnostics, received from now on, that satisfies `accept`. */
function nextPublish(uri, accept) {
  return new Promise((resolve) => {
    session.publishWaiters.push({ uri, accept, resolve });
  });
}

function request(type, params, what) {
  const reply = session.connection.sendRequest(type, params).catch((error) => {
    const exited = session.process.exitCode !== null ? ` (server exit code ${session.process.exitCode})` : '';
    throw new Error(withServerOutput(`${what} failed: ${error.message}${exited}`));
  });
  return withTimeout(reply, what);
}

before(async () => {
  const [command, ...args] = serverCommand();
  const child = spawn(command, args, { cwd: repositoryRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  session.process = child;
  session.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  session.exit.catch(() => undefined);
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    session.stderr += chunk;
  });
  await new Promise((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) =>
      reject(new Error(`cannot start the ctx-lsp server (${config.formatCommandLine(command, args)}): ${error.message}. Set CTX_LSP_SERVER.`)),
    );
  });
  const connection = lsp.createProtocolConnection(new lsp.StreamMessageReader(child.stdout), new lsp.StreamMessageWriter(child.stdin));
  session.connection = connection;
  connection.onNotification(lsp.PublishDiagnosticsNotification.type, (params) => {
    session.published.push(params);
    session.publishWaiters = session.publishWaiters.filter((waiter) => {
      if (waiter.uri === params.uri && waiter.accept(params)) {
        waiter.resolve(params);
        return false;
      }
      return true;
    });
  });
  // The server reports failed handlers and rejected settings as errors and warnings; in a
  // clean session there must be none.
  const collectProblems = (params) => {
    if (params.type === lsp.MessageType.Error || params.type === lsp.MessageType.Warning) {
      session.errorMessages.push(params.message);
    }
  };
  connection.onNotification(lsp.ShowMessageNotification.type, collectProblems);
  connection.onNotification(lsp.LogMessageNotification.type, collectProblems);
  // Answer what vscode-languageclient answers, so a server that asks does not hang.
  connection.onRequest(lsp.ConfigurationRequest.type, (params) =>
    params.items.map((item) => (item.section === config.SETTINGS_SECTION ? config.serverSettings(extensionSettings) : null)),
  );
  connection.onRequest(lsp.RegistrationRequest.type, () => null);
  connection.onRequest(lsp.UnregistrationRequest.type, () => null);
  connection.onRequest(lsp.WorkDoneProgressCreateRequest.type, () => null);
  connection.onRequest(lsp.DiagnosticRefreshRequest.type, () => null);
  connection.onRequest(lsp.ShowMessageRequest.type, () => null);
  connection.onError(([error]) => {
    session.errorMessages.push(`connection error: ${error.message}`);
  });
  connection.listen();
});

after(async () => {
  const child = session.process;
  if (child !== undefined && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGKILL');
    await session.exit;
  }
  session.connection?.dispose();
});

test('initialize: the server advertises what the extension relies on', async (t) => {
  const result = await request(
    lsp.InitializeRequest.type,
    {
      processId: process.pid,
      clientInfo: { name: 'Visual Studio Code', version: '1.91.0' },
      rootUri: null,
      workspaceFolders: null,
      capabilities: vscodeLikeCapabilities,
      initializationOptions: config.initializationOptions(extensionSettings),
    },
    'the initialize response',
  );
  const capabilities = result.capabilities;
  session.capabilities = capabilities;
  assert.equal(capabilities.positionEncoding, 'utf-16', 'a client offering no encodings must get utf-16');
  const sync = capabilities.textDocumentSync;
  const change = typeof sync === 'number' ? sync : sync?.change;
  assert.equal(change, lsp.TextDocumentSyncKind.Incremental);
  if (typeof sync === 'object') {
    assert.equal(sync.openClose, true, 'didOpen/didClose are needed to analyse buffers');
  }
  assert.ok(capabilities.hoverProvider, 'hoverProvider');
  assert.equal(typeof capabilities.codeActionProvider, 'object', 'codeActionProvider must list its kinds');
  const kinds = capabilities.codeActionProvider.codeActionKinds ?? [];
  assert.ok(kinds.includes('quickfix'), `codeActionKinds ${JSON.stringify(kinds)} lacks quickfix`);
  assert.ok(kinds.includes('source.fixAll.ctxlsp'), `codeActionKinds ${JSON.stringify(kinds)} lacks source.fixAll.ctxlsp`);
  await session.connection.sendNotification(lsp.InitializedNotification.type, {});
  t.diagnostic(`diagnostics are ${capabilities.diagnosticProvider !== undefined ? 'pulled' : 'pushed'}, as VS Code would get them`);
});

/** The diagnostics VS Code would show now: pulled when the server offers pull, else pushed. */
async function currentDiagnostics(waitForPush, what) {
  if (session.capabilities.diagnosticProvider !== undefined) {
    const report = await request(lsp.DocumentDiagnosticRequest.type, { textDocument: { uri: documentUri } }, what);
    assert.equal(report.kind, 'full', `a changed document must get a full report, got ${JSON.stringify(report)}`);
    return report.items;
  }
  return (await waitForPush()).diagnostics;
}

test('didOpen: one lostcancel diagnostic on the discarded cancel', async () => {
  const published = nextPublish(documentUri, (params) => params.diagnostics.length > 0);
  await session.connection.sendNotification(lsp.DidOpenTextDocumentNotification.type, {
    textDocument: { uri: documentUri, languageId: 'go', version: session.documentVersion, text: session.text },
  });
  const diagnostics = await currentDiagnostics(() => withTimeout(published, 'diagnostics after didOpen'), 'pulled diagnostics');
  assert.equal(diagnostics.length, 1, withServerOutput(`expected one diagnostic, got ${JSON.stringify(diagnostics, null, 1)}`));
  const [diagnostic] = diagnostics;
  assert.equal(diagnostic.source, 'ctx-lsp');
  assert.equal(diagnostic.code, 'lostcancel');
  assert.equal(diagnostic.message, discardedMessage);
  assert.deepEqual(diagnostic.range, blankRange);
  assert.equal(diagnostic.severity, lsp.DiagnosticSeverity.Warning);
  session.diagnostic = diagnostic;
});

/** Gets the edits of an action, resolving it first when the server defers them. */
async function editsOf(action) {
  let resolved = action;
  if (resolved.edit === undefined && session.capabilities.codeActionProvider.resolveProvider === true) {
    resolved = await request(lsp.CodeActionResolveRequest.type, action, 'codeAction/resolve');
  }
  assert.ok(resolved.edit !== undefined, `code action "${action.title}" has no edit`);
  const edit = resolved.edit;
  if (edit.documentChanges !== undefined) {
    return edit.documentChanges.flatMap((change) => {
      assert.equal(change.textDocument?.uri, documentUri, `unexpected document change ${JSON.stringify(change)}`);
      return change.edits;
    });
  }
  assert.deepEqual(Object.keys(edit.changes ?? {}), [documentUri], 'the fix should edit only the open document');
  return edit.changes[documentUri];
}

/** Applies non-overlapping LSP text edits (utf-16 positions, like JS strings) to `text`. */
function applyEdits(text, edits) {
  const lineStarts = [0];
  for (let index = 0; index < text.length; index++) {
    if (text[index] === '\n') {
      lineStarts.push(index + 1);
    }
  }
  const offsetOf = ({ line, character }) => {
    assert.ok(line < lineStarts.length, `edit position line ${line} is past the end`);
    return lineStarts[line] + character;
  };
  const ordered = [...edits].sort((a, b) => offsetOf(b.range.start) - offsetOf(a.range.start));
  let result = text;
  for (const edit of ordered) {
    result = result.slice(0, offsetOf(edit.range.start)) + edit.newText + result.slice(offsetOf(edit.range.end));
  }
  return result;
}

test('codeAction: the preferred quick fix names the cancel function and defers it', async () => {
  assert.ok(session.diagnostic !== undefined, 'no diagnostic from the previous step');
  const actions = await request(
    lsp.CodeActionRequest.type,
    {
      textDocument: { uri: documentUri },
      range: session.diagnostic.range,
      context: { diagnostics: [session.diagnostic], triggerKind: lsp.CodeActionTriggerKind.Invoked },
    },
    'code actions',
  );
  assert.ok(Array.isArray(actions), `expected a list of code actions, got ${JSON.stringify(actions)}`);
  const preferred = actions.filter((action) => action.kind === 'quickfix' && action.isPreferred === true);
  assert.equal(preferred.length, 1, `expected one preferred quick fix, got ${JSON.stringify(actions, null, 1)}`);
  const [fix] = preferred;
  assert.ok(
    (fix.diagnostics ?? []).some((diagnostic) => diagnostic.code === 'lostcancel'),
    'the quick fix should name the diagnostic it fixes, so VS Code offers it on the squiggle',
  );
  const edits = await editsOf(fix);
  assert.equal(applyEdits(fixture, edits), fixedFixture);
  session.fixEdits = edits;
});

test('codeAction: source.fixAll.ctxlsp (fix on save) produces the same result', async () => {
  const actions = await request(
    lsp.CodeActionRequest.type,
    {
      textDocument: { uri: documentUri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll.ctxlsp'], triggerKind: lsp.CodeActionTriggerKind.Automatic },
    },
    'fix-all code actions',
  );
  assert.ok(Array.isArray(actions) && actions.length === 1, `expected one fix-all action, got ${JSON.stringify(actions)}`);
  assert.equal(actions[0].kind, 'source.fixAll.ctxlsp');
  assert.equal(applyEdits(fixture, await editsOf(actions[0])), fixedFixture);
});

test('hover over WithCancel explains it in markdown', async () => {
  const hover = await request(
    lsp.HoverRequest.type,
    { textDocument: { uri: documentUri }, position: withCancelPosition },
    'hover',
  );
  assert.ok(hover !== null && hover !== undefined, 'no hover over WithCancel');
  assert.equal(hover.contents.kind, 'markdown', `hover should be MarkupContent markdown, got ${JSON.stringify(hover.contents)}`);
  assert.match(hover.contents.value, /WithCancel/);
});

/** Sends settings the way the extension does and returns the diagnostics that result. */
async function diagnosticsWithRules(rules, acceptPush) {
  extensionSettings = { ...extensionSettings, rules };
  const published = nextPublish(documentUri, acceptPush);
  await session.connection.sendNotification(lsp.DidChangeConfigurationNotification.type, {
    settings: config.didChangeConfigurationSettings(extensionSettings),
  });
  return currentDiagnostics(() => withTimeout(published, `diagnostics after setting rules ${JSON.stringify(rules)}`), 'pulled diagnostics');
}

test('settings: ctxLsp.rules overrides severity, turns a rule off, and an empty table restores it', async () => {
  const asError = await diagnosticsWithRules({ lostcancel: 'error' }, (params) =>
    params.diagnostics.some((diagnostic) => diagnostic.severity === lsp.DiagnosticSeverity.Error),
  );
  assert.deepEqual(
    asError.map((diagnostic) => [diagnostic.code, diagnostic.severity]),
    [['lostcancel', lsp.DiagnosticSeverity.Error]],
  );
  const off = await diagnosticsWithRules({ lostcancel: 'off' }, (params) => params.diagnostics.length === 0);
  assert.deepEqual(off, []);
  const restored = await diagnosticsWithRules({}, (params) => params.diagnostics.length === 1);
  assert.deepEqual(
    restored.map((diagnostic) => [diagnostic.code, diagnostic.severity]),
    [['lostcancel', lsp.DiagnosticSeverity.Warning]],
  );
});

test('didChange: applying the fix incrementally clears the diagnostic', async () => {
  assert.ok(session.fixEdits !== undefined, 'no fix from the previous step');
  // Later edits first, so each range is still valid when its change is applied.
  const contentChanges = [...session.fixEdits]
    .sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character)
    .map((edit) => ({ range: edit.range, text: edit.newText }));
  session.documentVersion += 1;
  const published = nextPublish(documentUri, (params) => params.diagnostics.length === 0);
  await session.connection.sendNotification(lsp.DidChangeTextDocumentNotification.type, {
    textDocument: { uri: documentUri, version: session.documentVersion },
    contentChanges,
  });
  const diagnostics = await currentDiagnostics(() => withTimeout(published, 'empty diagnostics after the fix'), 'pulled diagnostics');
  assert.deepEqual(diagnostics, []);
});

test('shutdown and exit end the server cleanly, without errors on the way', async () => {
  await request(lsp.ShutdownRequest.type, undefined, 'the shutdown response');
  await session.connection.sendNotification(lsp.ExitNotification.type);
  let timer;
  const { code } = await Promise.race([
    session.exit,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error('the server did not exit after "exit"')), STEP_TIMEOUT_MS);
    }),
  ]).finally(() => clearTimeout(timer));
  assert.equal(code, 0, withServerOutput('exit code after shutdown + exit'));
  assert.deepEqual(session.errorMessages, [], 'the server reported errors or warnings');
  assert.doesNotMatch(session.stderr, /Traceback \(most recent call last\)/, withServerOutput('the server logged a traceback'));
});
