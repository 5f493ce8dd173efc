import { SecretBox } from '@vigil/db';
import { resolveSecretKey } from '~/env';

const globalForSecrets = globalThis as unknown as { vigilSecretBox?: SecretBox };

/** Seals channel secrets with VIGIL_SECRET_KEY (one box per server process). */
export function getSecretBox(): SecretBox {
  globalForSecrets.vigilSecretBox ??= new SecretBox(resolveSecretKey());
  return globalForSecrets.vigilSecretBox;
}
