import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checkBinding, PACKAGED_BINDING } from '../../build/electron-binding.mjs';
import { checkElectronBinding, electronBindingPath } from '../../electron/native-binding.js';
import { startNode, startNodeWithStore } from '../../server/node.js';
import { addonFileOf, NODE_BUILD, packagedResources } from './packaged-binding.js';

/**
 * One better-sqlite3 binding per runtime: the Electron host asks for the Electron build (beside the
 * project in development, in the resources folder once packaged), the CLI loads node_modules' Node
 * build, and the same data directory moves between them with no rebuild in between.
 */
const ROOT = process.cwd();
const resources = packagedResources();
const work = mkdtempSync(join(tmpdir(), 'scimdesk-binding-'));

afterAll(() => {
  rmSync(resources.dir, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

describe('the Electron host asks for the Electron binding', () => {
  it('in development: native/electron/ under the project (desktop:prepare writes it), or SCIMDESK_ELECTRON_BINDING', () => {
    expect(electronBindingPath({ isPackaged: false, appPath: '/repo', resourcesPath: undefined })).toBe(
      join('/repo', 'native', 'electron', 'better_sqlite3.node'),
    );
    expect(electronBindingPath({ isPackaged: false, appPath: '/repo', resourcesPath: undefined, override: '/b/x.node' })).toBe('/b/x.node');
  });

  it("packaged: resources/native/, exactly where electron-builder's extraResources puts it", () => {
    const host = { isPackaged: true, appPath: '/opt/SCIM Desk/resources/app.asar', resourcesPath: '/opt/SCIM Desk/resources' };
    expect(electronBindingPath({ ...host, override: '/ignored' })).toBe(join('/opt/SCIM Desk/resources', PACKAGED_BINDING));
    const require = createRequire(import.meta.url);
    const config = require(join(ROOT, 'build', 'electron-builder.config.cjs')) as { extraResources: { to: string }[]; files: string[] };
    expect(config.extraResources.map((r) => r.to)).toEqual([PACKAGED_BINDING]);
    expect(config.files).toContain('!**/node_modules/better-sqlite3/build/Release/better_sqlite3.node');
  });

  it('reports a missing binding with the command to run; a packaged app says to reinstall', () => {
    const none = () => false;
    expect(checkElectronBinding({ isPackaged: false, appPath: '/repo', resourcesPath: undefined }, none)).toMatchObject({
      ok: false,
      message: expect.stringContaining('Run `npm run desktop:prepare`'),
    });
    expect(checkElectronBinding({ isPackaged: true, appPath: '/a', resourcesPath: '/r' }, none)).toMatchObject({
      ok: false,
      message: expect.stringContaining('Reinstall SCIM Desk'),
    });
  });

  it('the build scripts refuse a copy of the Node build as the Electron binding', () => {
    expect(checkBinding(ROOT, { SCIMDESK_ELECTRON_BINDING: resources.binding })).toEqual({
      ok: false,
      path: resources.binding,
      reason: `${resources.binding} is the Node build of better-sqlite3, which Electron cannot load`,
    });
    expect(checkBinding(ROOT, { SCIMDESK_ELECTRON_BINDING: join(work, 'absent.node') })).toMatchObject({ ok: false });
  });
});

describe('desktop and CLI on one machine, no rebuild in between', () => {
  const dataDir = join(work, 'data');
  const dbFile = join(work, 'scimdesk.db');

  it('the desktop node opens the data through the Electron binding; the CLI node through the Node build', () => {
    const { node: desktop, db: desktopDb } = startNodeWithStore({ dbFile, nativeBinding: resources.binding });
    expect(desktop.nativeBinding).toBe(resources.binding);
    expect(addonFileOf(desktopDb, [resources.binding, NODE_BUILD])).toBe(resources.binding);
    desktop.tokens.create({ label: 'from the desktop' });
    desktop.close();
    const { node: cli, db: cliDb } = startNodeWithStore({ dbFile });
    expect(cli.nativeBinding).toBe(null);
    expect(addonFileOf(cliDb, [resources.binding, NODE_BUILD])).toBe(NODE_BUILD);
    expect(cli.tokens.list().map((t) => t.label)).toEqual(['from the desktop']);
    cli.close();
  });

  it('the scimdesk CLI bundle runs on the same data dir the desktop app just used', async () => {
    mkdirSync(dataDir);
    const desktop = startNode({ dbFile: join(dataDir, 'scimdesk.db'), nativeBinding: resources.binding });
    desktop.tokens.create({ label: 'idp' });
    desktop.close();
    const run = promisify(execFile);
    const r = await run(process.execPath, [join(ROOT, 'dist', 'cli.js'), 'token', 'list', '--json', '--data', dataDir], {
      timeout: 15_000,
    });
    expect((JSON.parse(r.stdout) as { label: string }[]).map((t) => t.label)).toEqual(['idp']);
    // And back to the desktop binding: still no rebuild.
    const again = startNode({ dbFile: join(dataDir, 'scimdesk.db'), nativeBinding: resources.binding });
    expect(again.tokens.list()).toHaveLength(1);
    again.close();
  });
});
