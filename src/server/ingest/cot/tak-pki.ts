import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import forge from 'node-forge';

/**
 * Concord's own certificate authority for TAK clients (ADR 0006). Created on first need in the
 * data folder: ca.pem/ca.key, and a server certificate whose subjectAltName names localhost,
 * 127.0.0.1 and the configured host names. Client certificates carry the Concord username as
 * their CN; revoking one means disabling the user. RSA 2048: what every ATAK/WinTAK/iTAK accepts.
 */

export const ATAK_DEFAULT_PASSWORD = 'atakatak';
const CA_YEARS = 10;
const CERT_YEARS = 2;

export interface TakPki {
  caPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}

export interface ClientBundle {
  /** PKCS#12 with the client key, certificate and the CA, for ATAK's "client certificate". */
  p12: Buffer;
  /** PKCS#12 with the CA certificate only, for ATAK's "trust store". */
  truststore: Buffer;
  certPem: string;
  keyPem: string;
  caPem: string;
}

interface Issued {
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

function newKey(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey } {
  // node:crypto generates the key natively; forge then only signs.
  const { privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const key = forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey;
  return { privateKey: key, publicKey: forge.pki.rsa.setPublicKey(key.n, key.e) };
}

function baseCert(publicKey: forge.pki.PublicKey, cn: string, years: number): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // Positive serial: a leading 0x01 keeps the DER integer from reading as negative.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 5 * 60_000);
  cert.validity.notAfter = new Date(now.getTime() + years * 365 * 86_400_000);
  cert.setSubject([
    { name: 'commonName', value: cn },
    { name: 'organizationName', value: 'Concord' },
  ]);
  return cert;
}

function writeSecret(file: string, content: string | Buffer): void {
  fs.writeFileSync(file, content, { mode: 0o600 });
  fs.chmodSync(file, 0o600);
}

function loadOrCreateCa(dir: string): Issued {
  const certFile = path.join(dir, 'ca.pem');
  const keyFile = path.join(dir, 'ca.key');
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    return {
      cert: forge.pki.certificateFromPem(fs.readFileSync(certFile, 'utf8')),
      key: forge.pki.privateKeyFromPem(fs.readFileSync(keyFile, 'utf8')) as forge.pki.rsa.PrivateKey,
    };
  }
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keys = newKey();
  const cert = baseCert(keys.publicKey, 'Concord TAK CA', CA_YEARS);
  cert.setIssuer(cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  writeSecret(keyFile, forge.pki.privateKeyToPem(keys.privateKey));
  fs.writeFileSync(certFile, forge.pki.certificateToPem(cert));
  return { cert, key: keys.privateKey };
}

function issue(ca: Issued, cn: string, ext: object[]): Issued {
  const keys = newKey();
  const cert = baseCert(keys.publicKey, cn, CERT_YEARS);
  cert.setIssuer(ca.cert.subject.attributes);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    ...ext,
  ]);
  cert.sign(ca.key, forge.md.sha256.create());
  return { cert, key: keys.privateKey };
}

function sanOf(cert: forge.pki.Certificate): string[] {
  const ext = cert.getExtension('subjectAltName') as { altNames?: { value?: string; ip?: string }[] } | null;
  return (ext?.altNames ?? []).map((a) => a.ip ?? a.value ?? '').sort();
}

/**
 * The CA and the server certificate in `dir`, created when missing; the server certificate is
 * issued again when the host names it must carry changed.
 */
export function ensureTakPki(dir: string, hostNames: readonly string[] = []): TakPki {
  const ca = loadOrCreateCa(dir);
  const names = [...new Set(['localhost', '127.0.0.1', ...hostNames.filter(Boolean)])].sort();
  const certFile = path.join(dir, 'server.pem');
  const keyFile = path.join(dir, 'server.key');
  if (fs.existsSync(certFile) && fs.existsSync(keyFile)) {
    const serverCertPem = fs.readFileSync(certFile, 'utf8');
    const current = forge.pki.certificateFromPem(serverCertPem);
    if (sanOf(current).join(',') === names.join(',') && current.validity.notAfter > new Date())
      return {
        caPem: forge.pki.certificateToPem(ca.cert),
        serverCertPem,
        serverKeyPem: fs.readFileSync(keyFile, 'utf8'),
      };
  }
  const server = issue(ca, names.find((n) => !isIP(n) && n !== 'localhost') ?? 'localhost', [
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })),
    },
  ]);
  const serverKeyPem = forge.pki.privateKeyToPem(server.key);
  const serverCertPem = forge.pki.certificateToPem(server.cert);
  writeSecret(keyFile, serverKeyPem);
  fs.writeFileSync(certFile, serverCertPem);
  return { caPem: forge.pki.certificateToPem(ca.cert), serverCertPem, serverKeyPem };
}

function p12(
  key: forge.pki.rsa.PrivateKey | null,
  certs: forge.pki.Certificate[],
  password: string,
  name: string,
): Buffer {
  // 3DES: older Android key stores cannot open the AES-based PKCS#12 that newer tools write.
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, password, { algorithm: '3des', friendlyName: name });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/** A client certificate for `username` (its CN), signed by the CA in `dir`. */
export function issueClientBundle(dir: string, username: string, password: string): ClientBundle {
  const ca = loadOrCreateCa(dir);
  const client = issue(ca, username, [{ name: 'extKeyUsage', clientAuth: true }]);
  return {
    p12: p12(client.key, [client.cert, ca.cert], password, username),
    truststore: p12(null, [ca.cert], password, 'concord-ca'),
    certPem: forge.pki.certificateToPem(client.cert),
    keyPem: forge.pki.privateKeyToPem(client.key),
    caPem: forge.pki.certificateToPem(ca.cert),
  };
}

/** Writes `<user>.p12`, `<user>.pem`, `<user>.key` and `truststore.p12` into `out`; returns the paths. */
export function writeClientBundle(out: string, username: string, b: ClientBundle): string[] {
  fs.mkdirSync(out, { recursive: true });
  const files = {
    [`${username}.p12`]: b.p12,
    [`${username}.pem`]: b.certPem,
    [`${username}.key`]: b.keyPem,
    'truststore.p12': b.truststore,
  };
  const written: string[] = [];
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(out, name);
    if (name.endsWith('.pem')) fs.writeFileSync(file, content);
    else writeSecret(file, content);
    written.push(file);
  }
  return written;
}
