/**
 * Why an update was refused or failed. The message is one line meant for the person applying the update; the code
 * lets the web console map it to a response without parsing text.
 */
export type UpdateErrorCode =
  | 'unreadable'
  | 'not-a-bundle'
  | 'unsupported-format'
  | 'truncated'
  | 'unsigned'
  | 'bad-signature'
  | 'bad-manifest'
  | 'hash-mismatch'
  | 'wrong-board'
  | 'wrong-arch'
  | 'no-key'
  | 'busy'
  | 'not-installable'
  | 'install-failed';

export class UpdateError extends Error {
  readonly code: UpdateErrorCode;
  constructor(code: UpdateErrorCode, message: string) {
    super(message);
    this.name = 'UpdateError';
    this.code = code;
  }
}
