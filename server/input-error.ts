/**
 * A request an admin made that the service refuses, with a message written for that admin
 * ("no active token with id …"). Services throw it; the console answers it as `invalid` with the
 * message, and the CLI prints it. Anything that is not an InputError (or a ScimError) is a bug:
 * the console answers `internal` and describes nothing (issue #15 item 19: the kind of an error is
 * its class, never its constructor identity or its text).
 */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    message: string,
    /** The parameter at fault, when there is one, so a form can point at it. */
    readonly field?: string,
  ) {
    super(message);
  }
}
