package gumloop

/*
#include <stdlib.h>
#include "gumloop.h"
*/
import "C"

import (
	"context"
	"encoding/json"
)

// OAuth are the sign-in calls, as the official SDK's client.oauth: register a client, exchange
// an authorization code, refresh and revoke tokens. They go to the API's root host (the base URL
// without /api/v1) and carry no credential, so a client made with only Options.ClientID can make
// them.
type OAuth struct{ client *Client }

// AuthorizationParams are the parts of an authorization URL.
type AuthorizationParams struct {
	ClientID    string `param:"client_id"`
	RedirectURI string `param:"redirect_uri"`
	// Scopes default to the SDK's ["gumloop", "userinfo"].
	Scopes []string `param:"scopes"`
	// Resource is added when given.
	Resource string `param:"resource"`
	// State defaults to 24 random bytes, base64url.
	State string `param:"state"`
	// BaseURL is the API base (GUMLOOP_BASE_URL, else the real service, by default).
	BaseURL string `param:"base_url"`
	// AllowInsecureHTTP permits plain http:// to hosts other than loopback.
	AllowInsecureHTTP bool `param:"allow_insecure_http"`
}

// Authorization is where to send the user (URL, with PKCE S256), the State the redirect must
// bring back, and the CodeVerifier to keep secret until ExchangeCode.
type Authorization struct {
	URL          string `json:"url"`
	State        string `json:"state"`
	CodeVerifier string `json:"code_verifier"`
}

// BuildAuthorizationURL makes an authorization URL; nothing is sent.
func BuildAuthorizationURL(params AuthorizationParams) (*Authorization, error) {
	m := fields(&params, "param")
	if err := checkText(m, ""); err != nil {
		return nil, err
	}
	body, err := json.Marshal(m)
	if err != nil {
		return nil, callerError(CodeInvalidJSON, "params_json", err.Error())
	}
	text, free := cString(string(body))
	defer free()
	var out *C.char
	code := C.gumloop_oauth_build_authorization_url(text, &out)
	result := takeString(out)
	if code != C.GUMLOOP_OK {
		return nil, errorFrom(code, result)
	}
	a := &Authorization{}
	return a, decode(result, a, "an authorization URL")
}

// RegisteredClient is a registered OAuth client (RFC 7591).
type RegisteredClient struct {
	ClientID                string          `json:"client_id"`
	ClientName              string          `json:"client_name"`
	RedirectURIs            []string        `json:"redirect_uris"`
	GrantTypes              []string        `json:"grant_types"`
	ResponseTypes           []string        `json:"response_types"`
	TokenEndpointAuthMethod string          `json:"token_endpoint_auth_method"`
	Scope                   string          `json:"scope"`
	Raw                     json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the client and keeps its text in Raw.
func (r *RegisteredClient) UnmarshalJSON(data []byte) error {
	type plain RegisteredClient
	return withRaw(data, (*plain)(r), &r.Raw)
}

// Tokens are a token endpoint's answer. RefreshToken rotates: store the new one.
type Tokens struct {
	AccessToken  string          `json:"access_token"`
	RefreshToken string          `json:"refresh_token"`
	TokenType    string          `json:"token_type"`
	ExpiresIn    int64           `json:"expires_in"`
	Scope        string          `json:"scope"`
	Raw          json.RawMessage `json:"-"`
}

// UnmarshalJSON decodes the tokens and keeps their text in Raw.
func (t *Tokens) UnmarshalJSON(data []byte) error {
	type plain Tokens
	return withRaw(data, (*plain)(t), &t.Raw)
}

// RegisterClient registers an OAuth client for redirectURI. An empty clientName is the SDK's
// default; nil scopes the SDK's default.
func (o *OAuth) RegisterClient(ctx context.Context, redirectURI, clientName string, scopes []string) (*RegisteredClient, error) {
	args := map[string]any{"redirect_uri": redirectURI}
	if clientName != "" {
		args["client_name"] = clientName
	}
	if scopes != nil {
		args["scopes"] = scopes
	}
	text, err := o.client.run(ctx, "oauth_register_client", args, nil, nil)
	return decoded[RegisteredClient](text, err, "a registered client")
}

// ExchangeParams are an authorization code's exchange.
type ExchangeParams struct {
	ClientID     string `param:"client_id"`
	Code         string `param:"code"`
	RedirectURI  string `param:"redirect_uri"`
	CodeVerifier string `param:"code_verifier"`
	// ClientSecret is sent only when given (the SDK's clients have none).
	ClientSecret string `param:"client_secret"`
}

// ExchangeCode trades the code the redirect brought for tokens.
func (o *OAuth) ExchangeCode(ctx context.Context, params ExchangeParams) (*Tokens, error) {
	text, err := o.client.run(ctx, "oauth_exchange_code", fields(&params, "param"), nil, nil)
	return decoded[Tokens](text, err, "tokens")
}

// RefreshToken trades a refresh token for new tokens (the refresh token rotates). An empty
// clientSecret is not sent.
func (o *OAuth) RefreshToken(ctx context.Context, clientID, refreshToken, clientSecret string) (*Tokens, error) {
	args := map[string]any{"client_id": clientID, "refresh_token": refreshToken}
	if clientSecret != "" {
		args["client_secret"] = clientSecret
	}
	text, err := o.client.run(ctx, "oauth_refresh_token", args, nil, nil)
	return decoded[Tokens](text, err, "tokens")
}

// Revoke revokes a token (RFC 7009).
func (o *OAuth) Revoke(ctx context.Context, clientID, token string) error {
	_, err := o.client.run(ctx, "oauth_revoke", map[string]any{"client_id": clientID, "token": token}, nil, nil)
	return err
}
