import { describe, expect, it } from 'vitest';
import { buildCurl, originOf } from '../../renderer/features/events/curl';

const SECRET = 'scimdesk_live_0123456789abcdefSECRET';

describe('copy as curl', () => {
  const event = {
    method: 'patch',
    path: '/api/scim/v2/Users/u1',
    requestHeaders: {
      Authorization: `Bearer ${SECRET}`,
      'content-type': 'application/scim+json',
      host: '127.0.0.1:7643',
      'content-length': '99',
      'x-forwarded-authorization': `Bearer ${SECRET}`,
    },
    requestBody: `{"Operations":[{"op":"replace","value":{"displayName":"O'Brien"}}]}`,
  };

  it('never carries the token, and uses a $SCIM_TOKEN placeholder instead', () => {
    const curl = buildCurl(event, 'http://127.0.0.1:7643');
    expect(curl).not.toContain(SECRET);
    expect(curl).toContain(`-H 'Authorization: Bearer '"$SCIM_TOKEN"`);
    expect(curl).toContain(`-H 'x-forwarded-authorization: Bearer <redacted>'`);
  });

  it('rebuilds method, URL, headers and a shell-safe body', () => {
    const curl = buildCurl(event, 'http://127.0.0.1:7643/');
    expect(curl.split(' \\\n  ')).toEqual([
      `curl -X PATCH 'http://127.0.0.1:7643/api/scim/v2/Users/u1'`,
      `-H 'Authorization: Bearer '"$SCIM_TOKEN"`,
      `-H 'content-type: application/scim+json'`,
      `-H 'x-forwarded-authorization: Bearer <redacted>'`,
      `--data-raw '{"Operations":[{"op":"replace","value":{"displayName":"O'\\''Brien"}}]}'`,
    ]);
  });

  it('omits the body for a GET and takes the origin from the SCIM URL', () => {
    expect(
      buildCurl(
        { method: 'GET', path: '/api/scim/v2/Users', requestHeaders: {}, requestBody: null },
        originOf('https://scim.example.com:8443/api/scim/v2'),
      ),
    ).toBe(`curl -X GET 'https://scim.example.com:8443/api/scim/v2/Users' \\\n  -H 'Authorization: Bearer '"$SCIM_TOKEN"`);
  });
});
