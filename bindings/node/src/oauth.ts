/**
 * OAuth as the official SDK does it (`client.oauth`): the authorization URL with PKCE (S256),
 * code exchange, refresh, revocation and client registration, at the API's root host. The
 * answers are the server's JSON (`access_token`, `refresh_token`, `expires_in`, ...).
 */
import type { CallOptions, Caller } from "./caller.js";
import { answerOf, argumentsJson, parseAnswer } from "./json.js";
import { c } from "./native.js";
import { outJson } from "./outcall.js";
import type { FieldShape, Shape } from "./wire.js";
import { toWire } from "./wire.js";

/** What the authorization URL is built from. */
export interface AuthorizationUrlParams {
  clientId: string;
  redirectUri: string;
  /** Default the SDK's `["gumloop", "userinfo"]`; a string is space-separated scopes. */
  scopes?: string[] | string;
  /** The resource indicator, when the server asks for one. */
  resource?: string;
  /** Default: 24 random bytes, base64url. */
  state?: string;
  /** The API base whose `/api/v1` is removed (default `GUMLOOP_BASE_URL`, else the real service). */
  baseUrl?: string;
  /** Allows plain `http://` to hosts other than loopback. */
  allowInsecureHttp?: boolean;
}
const authorizationUrlShape: Shape = {
  what: "the authorization URL parameters",
  fields: {
    clientId: "value", redirectUri: "value", scopes: "value", resource: "value", state: "value", baseUrl: "value", allowInsecureHttp: "value",
  } satisfies Record<keyof AuthorizationUrlParams, FieldShape>,
};

/** Where to send the user, and what to keep until the redirect comes back. */
export interface AuthorizationUrl {
  url: string;
  /** Check that the redirect brings this back. */
  state: string;
  /** Keep it secret until `exchangeCode`. */
  code_verifier: string;
  [key: string]: unknown;
}

/** The token endpoint's answer. */
export interface TokenResponse {
  access_token: string;
  /** Rotates at each refresh: store the new one. */
  refresh_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  [key: string]: unknown;
}

/** A registered OAuth client (the server's answer). */
export interface RegisteredClient {
  client_id: string;
  [key: string]: unknown;
}

/**
 * Builds the URL to send a user to for signing in, with a fresh PKCE verifier and state.
 * Nothing is sent.
 */
export function buildAuthorizationUrl(params: AuthorizationUrlParams): AuthorizationUrl {
  const text = outJson((out) => c.oauthBuildAuthorizationUrl(argumentsJson(toWire(params, authorizationUrlShape, "params")), out));
  return parseAnswer<AuthorizationUrl>(text ?? "null");
}

/** Registration parameters. */
export interface RegisterClientParams {
  redirectUri: string;
  /** Default "Gumloop Python SDK", as the SDK. */
  clientName?: string;
  scopes?: string[] | string;
}
const registerShape: Shape = {
  what: "the registration parameters",
  fields: { redirectUri: "value", clientName: "value", scopes: "value" } satisfies Record<keyof RegisterClientParams, FieldShape>,
};

/** Code exchange parameters. */
export interface ExchangeCodeParams {
  clientId: string;
  /** The `code` the redirect brought. */
  code: string;
  redirectUri: string;
  /** From `buildAuthorizationUrl`. */
  codeVerifier: string;
  clientSecret?: string;
}
const exchangeShape: Shape = {
  what: "the code exchange parameters",
  fields: { clientId: "value", code: "value", redirectUri: "value", codeVerifier: "value", clientSecret: "value" } satisfies Record<
    keyof ExchangeCodeParams,
    FieldShape
  >,
};

/** Refresh parameters. */
export interface RefreshTokenParams {
  clientId: string;
  refreshToken: string;
  clientSecret?: string;
}
const refreshShape: Shape = {
  what: "the refresh parameters",
  fields: { clientId: "value", refreshToken: "value", clientSecret: "value" } satisfies Record<keyof RefreshTokenParams, FieldShape>,
};

/** Revocation parameters. */
export interface RevokeParams {
  clientId: string;
  /** An access or refresh token. */
  token: string;
}
const revokeShape: Shape = {
  what: "the revocation parameters",
  fields: { clientId: "value", token: "value" } satisfies Record<keyof RevokeParams, FieldShape>,
};

/** The OAuth calls (`client.oauth`); they send no Gumloop credential. */
export class OAuth {
  readonly #client: Caller;
  readonly #defaults: { baseUrl?: string; allowInsecureHttp?: boolean };

  /** The calls of `client`; `defaults` are its base URL and http allowance. */
  constructor(client: Caller, defaults: { baseUrl?: string; allowInsecureHttp?: boolean } = {}) {
    this.#client = client;
    this.#defaults = defaults;
  }

  /** The authorization URL (see {@link buildAuthorizationUrl}), on this client's base URL by default. */
  buildAuthorizationUrl(params: AuthorizationUrlParams): AuthorizationUrl {
    const defaults = Object.fromEntries(Object.entries(this.#defaults).filter(([, v]) => v !== undefined));
    return buildAuthorizationUrl({ ...defaults, ...params });
  }

  /** Registers an OAuth client (`POST /oauth/register`). */
  registerClient(params: RegisterClientParams, options?: CallOptions): Promise<RegisteredClient> {
    return answerOf(this.#client.call("oauth_register_client", () => toWire(params, registerShape, "params"), options));
  }

  /** Exchanges the redirect's code for tokens (`POST /oauth/token`). */
  exchangeCode(params: ExchangeCodeParams, options?: CallOptions): Promise<TokenResponse> {
    return answerOf(this.#client.call("oauth_exchange_code", () => toWire(params, exchangeShape, "params"), options));
  }

  /** Gets a new token pair from a refresh token (which rotates: store the new one). */
  refreshToken(params: RefreshTokenParams, options?: CallOptions): Promise<TokenResponse> {
    return answerOf(this.#client.call("oauth_refresh_token", () => toWire(params, refreshShape, "params"), options));
  }

  /** Revokes a token (`POST /oauth/revoke`). */
  revoke(params: RevokeParams, options?: CallOptions): Promise<Record<string, unknown>> {
    return answerOf(this.#client.call("oauth_revoke", () => toWire(params, revokeShape, "params"), options));
  }
}
