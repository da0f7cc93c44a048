// Drives VS Code (code-server) in Debian's headless Chromium through playwright-core, as a
// user would, and writes what it saw to a JSON report for tests/editors/test_vscode_e2e.py.
//
//   node drive.mjs   (environment below)
//   E2E_URL        the workbench URL with ?folder=...
//   E2E_REPORT     where to write the report
//   E2E_SETTINGS   code-server's machine settings.json (Machine/settings.json: ctxLsp.path is
//                  machine-scoped, so in a remote window it is read from there)
//   E2E_SHOTS      directory for screenshots (one per step, for looking at a failure)
//   E2E_SCENARIO   "main" (default) or "no-python"
//
// main: open handler.go; the Problems panel lists ctx-lsp's findings; hover on the
// discarded cancel; apply its preferred quick fix from the lightbulb menu; save, so that
// source.fixAll.ctxlsp runs on save; then point ctxLsp.path at a missing file and read the
// notification.
// no-python (an extension host with no usable Python): open handler.go; read the
// notification that says what is missing; then set ctxLsp.interpreter to Debian's python3,
// as the notification advises, and wait for ctx-lsp's findings in the Problems panel.
// Each step records what it saw; a step that fails records its error and
// the remaining steps still run where they can. pytest judges the report.

import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';

const url = process.env.E2E_URL;
const reportPath = process.env.E2E_REPORT;
const settingsPath = process.env.E2E_SETTINGS;
const shots = process.env.E2E_SHOTS;
const scenario = process.env.E2E_SCENARIO ?? 'main';
/** The Python the no-python scenario finally selects with ctxLsp.interpreter. */
const WORKING_INTERPRETER = '/usr/bin/python3';
const STEP_TIMEOUT_MS = 60_000;

const report = { steps: {} };
const save = () => writeFileSync(reportPath, JSON.stringify(report, null, 1));

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  // Chromium as root needs --no-sandbox; the rest keep it off the (closed) network.
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
page.setDefaultTimeout(STEP_TIMEOUT_MS);
const isMac = false;
const mod = isMac ? 'Meta' : 'Control';

async function step(name, action) {
  const started = Date.now();
  try {
    report.steps[name] = { ok: true, ...(await action()) };
  } catch (error) {
    report.steps[name] = { ok: false, error: String(error?.stack ?? error) };
  }
  report.steps[name].seconds = (Date.now() - started) / 1000;
  if (shots) {
    await page.screenshot({ path: path.join(shots, `${Object.keys(report.steps).length}-${name}.png`) }).catch(() => {});
  }
  save();
}

async function runCommand(title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

async function goToPosition(line, column) {
  await page.keyboard.press(`${mod}+G`);
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
}

/** The text of the active editor's visible lines (the files here fit on one screen). */
async function editorText() {
  return page.evaluate(() => {
    const lines = [...document.querySelectorAll('.editor-instance .view-lines .view-line')];
    const rows = lines.map((line) => ({ top: parseFloat(line.style.top), text: line.textContent ?? '' }));
    rows.sort((a, b) => a.top - b.top);
    return rows.map((row) => row.text.replace(/\u00a0/g, ' ')).join('\n');
  });
}

async function problemRows() {
  return page.locator('.markers-panel .monaco-tl-row').allInnerTexts();
}

/** Sets one key of code-server's machine settings.json, as the Settings editor would. */
function setMachineSetting(key, value) {
  const settings = JSON.parse(readFileSync(settingsPath, 'utf8'));
  settings[key] = value;
  writeFileSync(settingsPath, JSON.stringify(settings, null, 2));
}

/** The notification toast that contains `text`: its text and its buttons. */
async function notification(text) {
  const toast = page.locator('.notification-toast', { hasText: text });
  await toast.waitFor();
  return { text: await toast.innerText(), buttons: await toast.locator('.monaco-button').allInnerTexts() };
}

await step('workbench', async () => {
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor();
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'handler.go' }).waitFor();
  return {};
});

await step('open', async () => {
  await page.keyboard.press(`${mod}+P`);
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill('handler.go');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'handler.go' }).first().waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.tab.active', { hasText: 'handler.go' }).waitFor();
  await page.locator('.editor-instance .view-lines').waitFor();
  return {};
});

async function mainScenario() {
  await step('problems', async () => {
    await runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    await page.locator('.markers-panel').waitFor();
    await page.locator('.markers-panel .monaco-tl-row', { hasText: 'not discarded' }).first().waitFor();
    return { rows: await problemRows() };
  });

  await step('hover', async () => {
    await page.locator('.editor-instance .view-lines').click();
    await goToPosition(42, 21); // on WithTimeout
    await runCommand('Show or Focus Hover');
    const hover = page.locator('.monaco-hover:visible .hover-contents, .monaco-hover:visible .markdown-hover').first();
    await hover.waitFor();
    // The diagnostic part of the hover shows first; wait for ctx-lsp's own hover text too.
    await page.waitForFunction(
      () => [...document.querySelectorAll('.monaco-hover')].some((h) => /func WithTimeout/.test(h.textContent ?? '')),
      null,
      { timeout: STEP_TIMEOUT_MS },
    );
    const text = await page.locator('.monaco-hover').allInnerTexts();
    await page.keyboard.press('Escape');
    return { text: text.join('\n') };
  });

  await step('quickfix', async () => {
    await page.locator('.editor-instance .view-lines').click();
    await goToPosition(42, 7);
    await runCommand('Quick Fix...');
    const menu = page.locator('.action-widget');
    await menu.waitFor();
    const rows = page.locator('.action-widget .monaco-list-row.action');
    await rows.first().waitFor();
    const offered = await rows.allInnerTexts();
    // VS Code focuses the preferred fix when the menu opens: Enter applies it, as a user
    // would press it. What was focused is recorded for pytest to check.
    const chosen = await page.locator('.action-widget .monaco-list-row.action.focused').innerText();
    await page.keyboard.press('Enter');
    await menu.waitFor({ state: 'hidden' });
    await page.waitForFunction(
      () => /ctx, cancel := context\.WithTimeout\(parent/.test(document.querySelector('.editor-instance .view-lines')?.textContent?.replace(/\u00a0/g, ' ') ?? ''),
      null,
      { timeout: STEP_TIMEOUT_MS },
    );
    // The Problems panel drops the fixed finding once the server re-analysed the edit.
    await page.waitForFunction(
      () => ![...document.querySelectorAll('.markers-panel .monaco-tl-row')].some((row) => /not discarded/.test(row.textContent ?? '')),
      null,
      { timeout: STEP_TIMEOUT_MS },
    );
    return { offered, chosen, text: await editorText(), problems: await problemRows() };
  });

  await step('fix_all_on_save', async () => {
    await page.locator('.editor-instance .view-lines').click();
    await page.keyboard.press(`${mod}+S`);
    await page.locator('.tab.active.dirty').waitFor({ state: 'detached' });
    // codeActionsOnSave applied source.fixAll.ctxlsp before writing: no ctx-lsp findings remain.
    await page.waitForFunction(
      () => ![...document.querySelectorAll('.markers-panel .monaco-tl-row')].some((row) => /lostcancel|cancel/.test(row.textContent ?? '')),
      null,
      { timeout: STEP_TIMEOUT_MS },
    );
    return { text: await editorText(), problems: await problemRows() };
  });

  await step('not_found', async () => {
    setMachineSetting('ctxLsp.path', '/nonexistent/ctx-lsp');
    return notification('ctxLsp.path');
  });
}

async function noPythonScenario() {
  // Any notification of the extension (its source is ctx-lsp): pytest judges the text.
  await step('no_python', async () => notification('ctx-lsp'));

  await step('interpreter_setting_fixes_it', async () => {
    setMachineSetting('ctxLsp.interpreter', WORKING_INTERPRETER);
    await runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    await page.locator('.markers-panel .monaco-tl-row', { hasText: 'not discarded' }).first().waitFor();
    return { rows: await problemRows() };
  });
}

if (scenario === 'no-python') {
  await noPythonScenario();
} else {
  await mainScenario();
}

await browser.close();
save();
