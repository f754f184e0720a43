import { describe, expect, it } from 'vitest';
import { testNode, USER } from '../../helpers/node.js';

describe('SCIM node over HTTP', () => {
  it('creates a user and finds it with a case-insensitive userName filter', async () => {
    const t = await testNode();
    const created = await t.scim('POST', '/Users', { schemas: [USER], userName: 'alice@example.com' });
    expect(created.status).toBe(201);
    const found = await t.scim('GET', '/Users?filter=userName%20eq%20%22ALICE@example.com%22');
    expect(found.status).toBe(200);
    expect(found.body?.totalResults).toBe(1);
  });
});
