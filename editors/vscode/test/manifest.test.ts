// Keeps package.json (what VS Code shows in the Settings UI and the command palette) in
// step with what src/config.ts reads and the extension registers.

import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import {
  COMMANDS,
  DEFAULT_SETTINGS,
  MAX_DEBOUNCE_MS,
  RESTART_SETTINGS,
  RULE_SETTINGS,
  SERVER_DEFAULTS,
  SERVER_SETTINGS,
  SETTINGS_SECTION,
  SEVERITIES,
  TRACE_LEVELS,
  readSettings,
} from '../src/config';

interface SettingSchema {
  type: string;
  default: unknown;
  enum?: string[];
  maximum?: number;
  minimum?: number;
  additionalProperties?: { enum?: string[] };
  properties?: Record<string, { enum?: string[] }>;
}

interface Manifest {
  main: string;
  engines: { vscode: string };
  activationEvents: string[];
  devDependencies: Record<string, string>;
  capabilities: { untrustedWorkspaces: { restrictedConfigurations: string[] } };
  contributes: {
    commands: { command: string; title: string; category: string }[];
    configuration: { properties: Record<string, SettingSchema> };
  };
}

// Compiled to out/test/, so the package root is two levels up.
const manifest = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as Manifest;
const declared = manifest.contributes.configuration.properties;

/** The keys readSettings asks for, relative to `ctxLsp.`. */
function keysReadByExtension(): string[] {
  const keys: string[] = [];
  readSettings((key) => {
    keys.push(key);
    return undefined;
  });
  return keys;
}

function schema(key: string): SettingSchema {
  const found = declared[`${SETTINGS_SECTION}.${key}`];
  assert.ok(found !== undefined, `package.json does not declare ${SETTINGS_SECTION}.${key}`);
  return found;
}

describe('package.json settings', () => {
  test('declares exactly the settings the extension reads', () => {
    const read = keysReadByExtension().map((key) => `${SETTINGS_SECTION}.${key}`).sort();
    assert.deepEqual(Object.keys(declared).sort(), read);
  });

  test('every setting either restarts the server, is sent to it, or is the client trace', () => {
    const handled = new Set([...RESTART_SETTINGS, ...SERVER_SETTINGS, 'trace.server']);
    for (const key of keysReadByExtension()) {
      assert.ok(handled.has(key), `a change of ${SETTINGS_SECTION}.${key} would be ignored`);
    }
  });

  test('declared defaults are what the extension or, for unset analysis settings, the server uses', () => {
    assert.equal(schema('path').default, DEFAULT_SETTINGS.path);
    assert.equal(schema('interpreter').default, DEFAULT_SETTINGS.interpreter);
    assert.deepEqual(schema('serverArgs').default, DEFAULT_SETTINGS.serverArgs);
    assert.deepEqual(schema('rules').default, DEFAULT_SETTINGS.rules);
    assert.equal(schema('minSeverity').default, SERVER_DEFAULTS.minSeverity);
    assert.equal(schema('debounceMs').default, SERVER_DEFAULTS.debounceMs);
    assert.equal(schema('trace.server').default, DEFAULT_SETTINGS.trace);
  });

  test('enumerations and limits match validation', () => {
    assert.deepEqual(schema('minSeverity').enum, [...SEVERITIES]);
    assert.deepEqual(schema('trace.server').enum, [...TRACE_LEVELS]);
    assert.equal(schema('debounceMs').minimum, 0);
    assert.equal(schema('debounceMs').maximum, MAX_DEBOUNCE_MS);
    const rules = schema('rules');
    assert.deepEqual(rules.additionalProperties?.enum, [...RULE_SETTINGS]);
    const listed = Object.entries(rules.properties ?? {});
    assert.ok(listed.length > 0, 'rule ids should be listed for completion in settings.json');
    for (const [ruleId, ruleSchema] of listed) {
      assert.deepEqual(ruleSchema.enum, [...RULE_SETTINGS], ruleId);
    }
  });

  test('settings that choose a program are restricted in untrusted workspaces', () => {
    assert.deepEqual(
      [...manifest.capabilities.untrustedWorkspaces.restrictedConfigurations].sort(),
      RESTART_SETTINGS.map((key) => `${SETTINGS_SECTION}.${key}`).sort(),
    );
  });
});

describe('package.json entry points', () => {
  test('contributes the two commands under the ctx-lsp category', () => {
    const commands = manifest.contributes.commands;
    assert.deepEqual(commands.map((command) => command.command).sort(), Object.values(COMMANDS).sort());
    assert.deepEqual(
      commands.map((command) => `${command.category}: ${command.title}`).sort(),
      ['ctx-lsp: Restart Server', 'ctx-lsp: Show Output'],
    );
  });

  test('activates on Go files and loads the esbuild bundle', () => {
    assert.deepEqual(manifest.activationEvents, ['onLanguage:go']);
    assert.equal(manifest.main, './dist/extension.js');
  });

  test('the vscode API types are no newer than the oldest VS Code allowed', () => {
    // vscode-languageclient 11 needs VS Code 1.91; typing against a newer API would let
    // the extension call functions that 1.91 lacks.
    assert.equal(manifest.engines.vscode, '^1.91.0');
    assert.match(manifest.devDependencies['@types/vscode'] ?? '', /^[~^]?1\.91\./);
  });
});
