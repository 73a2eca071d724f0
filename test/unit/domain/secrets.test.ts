/** Which keys hold a secret (any case, any affix). */
import { isSensitiveKey } from '../../../functions/domain/secrets.js';

test.each(['key', 'token', 'password', 'client_secret', 'Secret', 'MY_TOKEN', 'db_password', 'apiKey', 'x-apikey'])(
  '%s is sensitive',
  (name) => {
    // Act / Assess
    expect(isSensitiveKey(name)).toBe(true);
  },
);

test.each(['header', 'header_name', 'username', 'issuer_url', 'client_id', 'location', 'prefix', 'scopes'])(
  '%s is not sensitive',
  (name) => {
    // Act / Assess
    expect(isSensitiveKey(name)).toBe(false);
  },
);
