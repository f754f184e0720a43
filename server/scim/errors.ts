/**
 * The one error type of the SCIM boundary (RFC 7644 §3.12).
 * Every failure a SCIM client can cause is a ScimError; the HTTP layer renders it with a single
 * translator. Anything else that escapes is a bug and becomes a 500.
 */
export const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** scimType values defined by RFC 7644 §3.12, Table 9, and RFC 9865 §2.3. */
export type ScimType =
  | 'invalidFilter'
  | 'tooMany'
  | 'uniqueness'
  | 'mutability'
  | 'invalidSyntax'
  | 'invalidPath'
  | 'noTarget'
  | 'invalidValue'
  | 'invalidVers'
  | 'sensitive'
  // RFC 9865 §2.3 (cursor pagination).
  | 'invalidCursor'
  | 'expiredCursor'
  | 'invalidCount';

/** Status codes RFC 7644 §3.12 lists for errors, plus 413/415/429 that the transport can produce. */
export type ScimErrorStatus = 304 | 400 | 401 | 403 | 404 | 409 | 412 | 413 | 415 | 429 | 500 | 501;

export type ScimErrorBody = {
  schemas: [typeof ERROR_SCHEMA];
  status: string;
  scimType?: ScimType;
  detail: string;
};

export class ScimError extends Error {
  constructor(
    readonly status: ScimErrorStatus,
    readonly scimType: ScimType | undefined,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ScimError';
  }

  /** RFC 7644 §3.12: "status" is a string; scimType only accompanies 400/409/413-style errors. */
  toBody(): ScimErrorBody {
    const body: ScimErrorBody = { schemas: [ERROR_SCHEMA], status: String(this.status), detail: this.detail };
    if (this.scimType) body.scimType = this.scimType;
    return body;
  }
}

export const badRequest = (scimType: ScimType, detail: string): ScimError => new ScimError(400, scimType, detail);
export const notFound = (detail: string): ScimError => new ScimError(404, undefined, detail);
export const conflict = (detail: string): ScimError => new ScimError(409, 'uniqueness', detail);

/**
 * A filter names an attribute the resource type does not have (400 invalidFilter, RFC 7644 §3.4.2.2).
 * Its own class because root search (§3.4.3) skips a resource type on exactly this error, and must
 * not tell it apart by its text.
 */
export class UnknownAttributeError extends ScimError {
  constructor(detail: string) {
    super(400, 'invalidFilter', detail);
    this.name = 'UnknownAttributeError';
  }
}
