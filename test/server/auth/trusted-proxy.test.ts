import { describe, expect, it } from 'vitest';
import { SettingsError, validateSetting } from '../../../server/settings/settings.js';
import { testNode } from '../../helpers/node.js';

const get = (base: string, token: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/Users?count=1`, { headers: { authorization: `Bearer ${token}`, ...headers } });

describe('trusted proxies', () => {
  it('takes a list of proxy addresses and CIDRs; true still means loopback and false nobody', () => {
    expect(validateSetting('trustProxy', ['10.0.0.0/8', ' 2001:db8::1 ', '192.0.2.7'])).toEqual(['10.0.0.0/8', '2001:db8::1', '192.0.2.7']);
    expect(validateSetting('trustProxy', true)).toEqual(['127.0.0.0/8', '::1']);
    expect(validateSetting('trustProxy', false)).toEqual([]);
    expect(() => validateSetting('trustProxy', ['10.0.0.0/33'])).toThrow(
      new SettingsError('trustProxy', '"10.0.0.0/33" has an invalid prefix length'),
    );
    expect(() => validateSetting('trustProxy', ['proxy.example'])).toThrow(
      new SettingsError('trustProxy', '"proxy.example" is not an IP address or CIDR range'),
    );
    expect(() => validateSetting('trustProxy', 'yes')).toThrow(
      new SettingsError('trustProxy', 'must be a list of proxy addresses or CIDR ranges (true = loopback, false = none)'),
    );
  });

  it('reads X-Forwarded-For only from a configured proxy address', async () => {
    const t = await testNode({ settings: { trustProxy: ['10.9.9.9', '192.0.2.0/24'] } });
    // The test client connects from loopback, which is not a configured proxy: its header is ignored.
    await get(t.base, t.token, { 'x-forwarded-for': '203.0.113.9' });
    expect(t.node.events.list().items[0]?.sourceIp).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
    // A client cannot talk its way past a token's source allowlist with a forged header.
    const id = t.node.tokens.list()[0]?.id ?? '';
    t.node.tokens.setAllowedCidrs(id, ['203.0.113.0/24']);
    const forged = await get(t.base, t.token, { 'x-forwarded-for': '203.0.113.9' });
    expect(forged.status).toBe(401);
    expect(t.node.events.list().items[0]?.notes).toEqual(['authentication failed: source-not-allowed']);
  });

  it('walks the chain from the nearest hop and stops at the first address that is not a trusted proxy', async () => {
    const t = await testNode({ settings: { trustProxy: ['127.0.0.0/8', '::1', '10.0.0.0/8'] } });
    await get(t.base, t.token, { 'x-forwarded-for': '198.51.100.1, 203.0.113.9, 10.1.2.3' });
    expect(t.node.events.list().items[0]?.sourceIp).toBe('203.0.113.9');
    await get(t.base, t.token, { 'x-forwarded-for': '::ffff:198.51.100.4' });
    expect(t.node.events.list().items[0]?.sourceIp).toBe('198.51.100.4');
    await get(t.base, t.token, { 'x-forwarded-for': '2001:db8::5' });
    expect(t.node.events.list().items[0]?.sourceIp).toBe('2001:db8::5');
  });

  it.each([
    ['HTML', '<script>alert(1)</script>'],
    ['5,000 characters', '1'.repeat(5000)],
    ['an address with a port', '203.0.113.9:443'],
    ['an empty entry', ' , '],
  ])('never takes %s from X-Forwarded-For as the source address', async (_name, forwarded) => {
    const t = await testNode();
    t.node.settings.set('trustProxy', true);
    const r = await get(t.base, t.token, { 'x-forwarded-for': forwarded });
    expect(r.status).toBe(200);
    // The trusted proxy sent something that is not an address: the proxy itself is the source.
    expect(t.node.events.list().items[0]?.sourceIp).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  it('reads a legacy stored true as loopback', async () => {
    const t = await testNode();
    t.node.settings.set('trustProxy', true);
    expect(t.node.settings.get().trustProxy).toEqual(['127.0.0.0/8', '::1']);
    await get(t.base, t.token, { 'x-forwarded-for': '198.51.100.1, 203.0.113.9' });
    expect(t.node.events.list().items[0]?.sourceIp).toBe('203.0.113.9');
  });
});
