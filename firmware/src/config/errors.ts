/**
 * A config store failure a person must act on. The message is one line: what is wrong, then how to fix it,
 * so the CLI and the supervisor can print it as is.
 */
export class ConfigStoreError extends Error {
  override name = 'ConfigStoreError';
}
