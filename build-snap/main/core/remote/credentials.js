import { ShoeboxError } from '../errors.js';
/** What a remote without stored keys uses: the AWS chain, said plainly for errors. */
export const AWS_CHAIN_HINT = 'the AWS credential chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or a profile in ~/.aws via AWS_PROFILE)';
/** Refuses keys where there is nowhere safe to keep them. */
export function noCredentialStore() {
    throw new ShoeboxError('INVALID_ARGUMENT', `Access keys cannot be saved here: only the desktop app keeps them (in the system keychain). Give them to \`shoebox\` through ${AWS_CHAIN_HINT}.`);
}
//# sourceMappingURL=credentials.js.map