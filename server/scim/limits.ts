/**
 * Input limits of the SCIM surface (issue #15 item 7). Each bounds how much work one authenticated
 * request can ask for, so that no request holds the event loop (and /healthz with it) for long.
 * RFC 7643 §5 has no field for most of them, so /ServiceProviderConfig lists them all under
 * "urn:scimdesk:params:limits" (see messages.ts); docs/security.md, section "Limits", explains each.
 */

/**
 * Operations per PATCH request. RFC 7644 sets none for PATCH (bulk.maxOperations is for /Bulk).
 * 1,000 is far above what Entra ID or Okta send; with element and filter limits it bounds the work.
 */
export const MAX_PATCH_OPERATIONS = 1000;

/**
 * Values of one multi-valued attribute (emails, phoneNumbers, roles, entitlements …) on one
 * resource. Group "members" is exempt: it lives in a join table and PATCH turns member changes into
 * set operations in SQL, so its cost does not grow with the group.
 */
export const MAX_MULTI_VALUED_ELEMENTS = 100;

/** Characters of a filter or PATCH path (RFC 7644 §3.4.2.2, §3.5.2). */
export const MAX_FILTER_LENGTH = 10_000;

/** Nesting of parentheses and brackets: the parser recurses once per level. */
export const MAX_FILTER_DEPTH = 50;

/** Attribute comparisons ("userName eq …", "title pr") in one filter, inside value filters too. */
export const MAX_FILTER_COMPARISONS = 100;

/**
 * Value filters ("emails[type eq "work"]") and comparisons on multi-valued attributes
 * ("emails co …") in one filter: each one scans the attribute's values of every candidate resource.
 */
export const MAX_FILTER_VALUE_PATHS = 10;
