import { it } from 'vitest';
import { ENTERPRISE, testNode, USER } from '/work/main/test/helpers/node.js';
it('probe', async () => {
  const t = await testNode();
  await t.scim('POST', '/Users', { schemas: [USER, ENTERPRISE], userName: 'a', [ENTERPRISE]: { employeeNumber: '1' } });
  const r = await t.scim('GET', `/Users?attributes=${encodeURIComponent(`${ENTERPRISE}:employeeNumber`)}`);
  console.log(r.status, r.text);
});
