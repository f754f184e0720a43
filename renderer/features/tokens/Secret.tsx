import type { CreatedToken } from '../../../server/console/contract';
import { OnceWarning, SecretValue } from '../../ui/SecretValue';

/** A token's plaintext: shown exactly once, right after it is created. */
export function Secret({ token }: { token: CreatedToken }) {
  return (
    <div className="secret">
      <OnceWarning>
        Copy this token now. <strong>You will not see this again.</strong>
      </OnceWarning>
      <div className="secret-row">
        <SecretValue value={token.token} what="token secret" testId="token-secret" />
      </div>
    </div>
  );
}
