import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ServiceOptions {
  user: string;
  dataDir: string;
  /** The node executable and the CLI entry the unit runs. */
  node: string;
  cli: string;
  unitDir: string;
  createUser: boolean;
}

/** A hardened systemd unit: a dedicated user, a private data dir, and a read-only rest of the system. */
export function systemdUnit(o: ServiceOptions): string {
  return `[Unit]
Description=SCIM Desk provisioning node
Documentation=https://github.com/scimdesk/scimdesk#readme
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=${o.user}
Group=${o.user}
Environment=SCIMDESK_DATA=${o.dataDir}
ExecStart=${o.node} ${o.cli} serve --data ${o.dataDir}
ExecReload=/bin/kill -HUP $MAINPID
Restart=on-failure
RestartSec=5
UMask=0077
NoNewPrivileges=true
ProtectSystem=strict
ProtectHome=true
PrivateTmp=true
PrivateDevices=true
ReadWritePaths=${o.dataDir}
CapabilityBoundingSet=

[Install]
WantedBy=multi-user.target
`;
}

function idsOf(user: string): { uid: number; gid: number } | null {
  const r = spawnSync('id', ['-u', user], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', user], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) return null;
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/** Tightens a data dir: the directory 0700, every file in it 0600, owned by the service user. */
export function tightenDataDir(dir: string, owner: { uid: number; gid: number } | null): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const walk = (d: string) => {
    chmodSync(d, 0o700);
    if (owner) chownSync(d, owner.uid, owner.gid);
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else {
        chmodSync(p, 0o600);
        if (owner) chownSync(p, owner.uid, owner.gid);
      }
    }
  };
  walk(dir);
}

/**
 * Installs the Linux service: creates the system user when asked (root only), tightens the data dir
 * and writes the unit. Returns the unit path and the commands left for the admin to run.
 */
export function installService(o: ServiceOptions): { unitPath: string; next: string[]; userCreated: boolean } {
  if (process.platform !== 'linux')
    throw new Error('`scimdesk service install` writes a systemd unit (Linux); see docs/operations.md for launchd and Windows');
  let userCreated = false;
  let owner = idsOf(o.user);
  if (!owner && o.createUser) {
    const r = spawnSync('useradd', ['--system', '--home-dir', o.dataDir, '--no-create-home', '--shell', '/usr/sbin/nologin', o.user], {
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`could not create the system user "${o.user}": ${(r.stderr || r.error?.message || '').trim()}`);
    userCreated = true;
    owner = idsOf(o.user);
  }
  if (!owner && o.createUser) throw new Error(`user "${o.user}" does not exist`);
  tightenDataDir(o.dataDir, owner);
  if (!existsSync(o.unitDir)) mkdirSync(o.unitDir, { recursive: true });
  const unitPath = join(o.unitDir, 'scimdesk.service');
  writeFileSync(unitPath, systemdUnit(o), { mode: 0o644 });
  return { unitPath, userCreated, next: ['systemctl daemon-reload', 'systemctl enable --now scimdesk', 'journalctl -u scimdesk -f'] };
}
