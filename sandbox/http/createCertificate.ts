import { generate } from 'selfsigned';

export interface Certificate {
  /** PEM of the self-signed certificate; trust it as a CA (undici Agent `connect.ca`, NODE_EXTRA_CA_CERTS). */
  readonly certPem: string;
  readonly keyPem: string;
}

const dayMs = 24 * 60 * 60 * 1000;

/** A fresh self-signed certificate for `localhost` and `127.0.0.1`, valid from an hour ago for `days` days. */
export async function createCertificate(days = 2): Promise<Certificate> {
  const notBeforeDate = new Date(Date.now() - 60 * 60 * 1000);
  const generated = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + days * dayMs),
    extensions: [
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] },
    ],
  });
  return { certPem: generated.cert, keyPem: generated.private };
}
