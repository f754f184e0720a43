import type { CreatedToken } from '../../../server/console/contract';
import { CopyButton } from '../../ui/CopyButton';

/** A token's plaintext: shown exactly once, right after it is created. */
export function Secret({ token }: { token: CreatedToken }) {
  return (
    <div className="secret">
      <p className="secret-warning" role="alert">
        Copy this token now. <strong>You will not see this again.</strong>
      </p>
      <div className="secret-row">
        <code className="secret-value" data-testid="token-secret">
          {token.token}
        </code>
        <CopyButton text={token.token} what="token secret" />
      </div>
    </div>
  );
}
