import { init } from './0001_init.js';
import { rolesAudit } from './0002_roles_audit.js';
import { tokenGuard } from './0003_token_guard.js';
import { consoleLogin } from './0004_console_login.js';
import { oauth } from './0005_oauth.js';
import { caselessKeys } from './0006_caseless_keys.js';
import { consoleIntegrity } from './0007_console_integrity.js';
import { schemaExtensions } from './0008_schema_extensions.js';
import { consoleInvestigations } from './0009_console_investigations.js';
import { downstream } from './0010_downstream.js';

export interface Migration {
  id: number;
  name: string;
  sql: string;
}

/** Listed explicitly, in order. Append only: never edit or reorder an entry that has shipped. */
export const MIGRATIONS: readonly Migration[] = [
  init,
  rolesAudit,
  tokenGuard,
  consoleLogin,
  oauth,
  caselessKeys,
  consoleIntegrity,
  schemaExtensions,
  consoleInvestigations,
  downstream,
];
