/**
 * Authentication: x509 client certificates (CN = user, O = groups), a static admin bearer token,
 * and service-account tokens (TokenRequest-issued and legacy Secret-based) which kube-sim signs
 * as HMAC-SHA256 JWTs and checks against the live ServiceAccount / Secret.
 *
 * @see https://kubernetes.io/docs/reference/access-authn-authz/authentication/
 * @see https://kubernetes.io/docs/reference/access-authn-authz/service-accounts-admin/
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { IncomingMessage } from 'node:http';

export interface UserInfo {
  name: string;
  groups: string[];
  uid?: string;
}

export const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: ['system:unauthenticated'] };
export const ADMIN_USER = 'kube-sim-admin';

export interface SaClaims {
  namespace: string;
  name: string;
  uid: string;
  /** Seconds since epoch; absent for legacy Secret tokens. */
  exp?: number;
  /** Set for legacy Secret tokens: the Secret that must still exist. */
  secret?: string;
}

/** Lookups the authenticator needs into the store (kept abstract for tests). */
export interface TokenLookup {
  serviceAccountUid(namespace: string, name: string): string | undefined;
  secretHoldsToken(namespace: string, secret: string, token: string): boolean;
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

export class Authenticator {
  private readonly key = randomBytes(32);
  readonly adminToken: string;

  constructor(
    private readonly lookup: TokenLookup,
    private readonly nowSeconds: () => number = () => Math.floor(Date.now() / 1000),
    adminToken?: string,
  ) {
    this.adminToken = adminToken ?? `kube-sim-admin-${randomBytes(24).toString('hex')}`;
  }

  /** Signs a service-account token (JWT form so clients that peek at it see familiar claims). */
  issueServiceAccountToken(claims: SaClaims): string {
    const header = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'kube-sim' }));
    const payload = b64url(
      JSON.stringify({
        iss: 'https://kubernetes.default.svc.cluster.local',
        sub: `system:serviceaccount:${claims.namespace}:${claims.name}`,
        aud: ['https://kubernetes.default.svc.cluster.local'],
        iat: this.nowSeconds(),
        ...(claims.exp === undefined ? {} : { exp: claims.exp }),
        'kubernetes.io': {
          namespace: claims.namespace,
          serviceaccount: { name: claims.name, uid: claims.uid },
          ...(claims.secret === undefined ? {} : { secret: { name: claims.secret } }),
        },
      }),
    );
    return `${header}.${payload}.${this.sign(`${header}.${payload}`)}`;
  }

  private sign(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }

  /**
   * Who sent this request: undefined means "credentials presented but invalid" (→ 401);
   * ANONYMOUS means none presented. Like kube-apiserver's union authenticator, the client
   * certificate is tried before bearer tokens and the first that succeeds wins: a valid
   * certificate with a bad token is the certificate's user.
   *
   * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/kubeapiserver/authenticator/config.go
   * @see https://github.com/kubernetes/apiserver/blob/master/pkg/authentication/request/union/union.go
   */
  authenticate(req: IncomingMessage): UserInfo | undefined {
    const socket = req.socket as TLSSocket;
    if (socket.authorized === true) {
      const cert = socket.getPeerCertificate();
      const cn = cert.subject?.CN;
      const o = cert.subject?.O;
      const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
      if (typeof cn === 'string' && cn !== '')
        return { name: cn, groups: [...groups, 'system:authenticated'] };
    }
    const auth = req.headers.authorization;
    if (auth !== undefined) {
      const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
      return m?.[1] === undefined ? undefined : this.fromToken(m[1]);
    }
    return ANONYMOUS;
  }

  private fromToken(token: string): UserInfo | undefined {
    if (
      token.length === this.adminToken.length &&
      timingSafeEqual(Buffer.from(token), Buffer.from(this.adminToken))
    ) {
      return { name: ADMIN_USER, groups: ['system:masters', 'system:authenticated'] };
    }
    const parts = token.split('.');
    if (parts.length !== 3) return undefined;
    const [h = '', p = '', s = ''] = parts;
    const expected = Buffer.from(this.sign(`${h}.${p}`));
    const given = Buffer.from(s);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let claims: {
      exp?: number;
      'kubernetes.io'?: {
        namespace?: string;
        serviceaccount?: { name?: string; uid?: string };
        secret?: { name?: string };
      };
    };
    try {
      claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as typeof claims;
    } catch {
      return undefined;
    }
    const k = claims['kubernetes.io'];
    const ns = k?.namespace ?? '';
    const name = k?.serviceaccount?.name ?? '';
    if (claims.exp !== undefined && claims.exp < this.nowSeconds()) return undefined;
    if (this.lookup.serviceAccountUid(ns, name) !== k?.serviceaccount?.uid) return undefined;
    const secret = k?.secret?.name;
    if (secret !== undefined && !this.lookup.secretHoldsToken(ns, secret, token)) return undefined;
    return {
      name: `system:serviceaccount:${ns}:${name}`,
      groups: ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated'],
      ...(k?.serviceaccount?.uid === undefined ? {} : { uid: k.serviceaccount.uid }),
    };
  }
}
