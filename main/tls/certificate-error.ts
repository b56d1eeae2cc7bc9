/** Why the host's certificate pair could not be used; the message names the file to look at. */
export type CertificateErrorCode =
  /** cert.pem is not a PEM certificate. */
  | 'cert_unreadable'
  /** key.pem is not a PEM private key. */
  | 'key_unreadable'
  /** Both parse, but the certificate was not made for this key. */
  | 'pair_mismatch'
  /** One of the two files exists without the other. */
  | 'pair_incomplete';

export class CertificateError extends Error {
  override readonly name = 'CertificateError';

  constructor(
    readonly code: CertificateErrorCode,
    /** The file at fault. */
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}
