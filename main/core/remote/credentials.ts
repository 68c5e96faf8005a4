import { ShoeboxError } from '../errors.js';

/** Access keys for one S3-compatible store. */
export interface RemoteCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * Where a shell keeps a remote's access keys. The desktop app keeps them encrypted by the OS
 * keychain (Electron safeStorage: main/electron/safe-credentials.ts); the command line and
 * `serve` have none and use the standard AWS chain (environment, shared config/profile).
 * Keys never go into the catalog or the logs.
 */
export interface CredentialStore {
  /** Says where the keys are kept, for messages ("the system keychain"). */
  readonly where: string;
  get(url: string): RemoteCredentials | undefined;
  set(url: string, creds: RemoteCredentials): void;
  delete(url: string): void;
}

/** What a remote without stored keys uses: the AWS chain, said plainly for errors. */
export const AWS_CHAIN_HINT = 'the AWS credential chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws via AWS_PROFILE)';

/** Refuses keys where there is nowhere safe to keep them. */
export function noCredentialStore(): never {
  throw new ShoeboxError('INVALID_ARGUMENT', `Access keys cannot be saved here: only the desktop app keeps them (in the system keychain). Give them to \`shoebox\` through ${AWS_CHAIN_HINT}.`);
}
