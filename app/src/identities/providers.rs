//! Identity providers (S6): their configuration from the environment, and the protocol
//! work with them: OpenID Connect discovery, the authorization-code flow with PKCE, ID-token
//! checks (signature from the provider's JWKS, issuer, audience, expiry, nonce) and the
//! userinfo call; for Facebook, OAuth 2 and the Graph API's `/me`.
//!
//! Of everything a provider returns, only the subject, the e-mail address (and whether the
//! provider verified it) and the name leave this module; tokens are dropped here.
use super::model::ProviderInfo;
use crate::check::{email_is_valid, normalise_email};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, DecodingKey, Validation, jwk::JwkSet};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, ExtraTokenFields,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope, StandardRevocableToken,
    StandardTokenResponse, TokenResponse, TokenUrl,
    basic::{
        BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType,
    },
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// Every provider setting starts with this; `AGORA_AUTH_<ID>_<SETTING>`.
pub const ENV_PREFIX: &str = "AGORA_AUTH_";
const SETTINGS: &[&str] = &[
    "_CLIENT_SECRET",
    "_CLIENT_ID",
    "_USERINFO_URL",
    "_TOKEN_URL",
    "_AUTH_URL",
    "_ISSUER",
    "_SCOPES",
    "_NAME",
];
const OIDC_SCOPES: &str = "openid email profile";
const FACEBOOK_SCOPES: &str = "email public_profile";
/// Unversioned Graph API endpoints follow the app's default API version; pin one with the
/// `AGORA_AUTH_FACEBOOK_*_URL` settings if needed.
const FACEBOOK_AUTH_URL: &str = "https://www.facebook.com/dialog/oauth";
const FACEBOOK_TOKEN_URL: &str = "https://graph.facebook.com/oauth/access_token";
const FACEBOOK_USERINFO_URL: &str = "https://graph.facebook.com/me";
const FACEBOOK_FIELDS: &str = "id,name,first_name,last_name,email";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// OpenID Connect: endpoints and keys are discovered from the issuer.
    Oidc { issuer: String },
    /// Facebook Login: plain OAuth 2 and the Graph API's `/me`; no ID token.
    Facebook {
        auth_url: String,
        token_url: String,
        userinfo_url: String,
    },
}

#[derive(Clone, PartialEq, Eq)]
pub struct ProviderConfig {
    /// Lower case, the URL segment (`google`, `eduid`).
    pub id: String,
    pub name: String,
    pub protocol: Protocol,
    pub client_id: String,
    pub client_secret: Option<String>,
    pub scopes: String,
}

impl std::fmt::Debug for ProviderConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ProviderConfig")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("protocol", &self.protocol)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "***"))
            .field("scopes", &self.scopes)
            .finish()
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error(
        "{0}: unknown setting (provider settings are AGORA_AUTH_<ID>_{{CLIENT_ID, CLIENT_SECRET, ISSUER, NAME, SCOPES}}, and AUTH_URL, TOKEN_URL, USERINFO_URL for Facebook)"
    )]
    UnknownSetting(String),
    #[error("{var} is set but {prefix}{id}_CLIENT_ID is not", prefix = ENV_PREFIX)]
    NoClientId { var: String, id: String },
    #[error("{prefix}{id}_CLIENT_SECRET is required for {id}", prefix = ENV_PREFIX)]
    NoClientSecret { id: String },
    #[error("{prefix}{id}_ISSUER is required: the OpenID Connect issuer URL of provider {id}", prefix = ENV_PREFIX)]
    NoIssuer { id: String },
    #[error("{var} does not apply to {id}")]
    NotApplicable { var: String, id: String },
    #[error("{var}: {reason}")]
    BadUrl { var: String, reason: String },
}

fn check_url(var: &str, value: &str) -> Result<String, ConfigError> {
    let bad = |reason: &str| ConfigError::BadUrl {
        var: var.to_string(),
        reason: reason.to_string(),
    };
    let url = oauth2::url::Url::parse(value).map_err(|e| bad(&e.to_string()))?;
    let loopback = matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => return Err(bad("must be an https:// URL (http:// only for localhost)")),
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(bad("must not have a query or fragment"));
    }
    Ok(value.trim_end_matches('/').to_string())
}

/// Reads the providers from `AGORA_AUTH_*` variables. Only providers with a client id are
/// configured; `google`, `facebook` and `linkedin` are built in, any other id is a generic
/// OpenID Connect provider that needs an issuer.
pub fn from_vars<I>(vars: I) -> Result<Vec<ProviderConfig>, ConfigError>
where
    I: IntoIterator<Item = (String, String)>,
{
    let mut by_id: BTreeMap<String, BTreeMap<&'static str, (String, String)>> = BTreeMap::new();
    for (key, value) in vars {
        let Some(rest) = key.strip_prefix(ENV_PREFIX) else {
            continue;
        };
        let value = value.trim().to_string();
        if value.is_empty() {
            continue;
        }
        let Some((id, setting)) = SETTINGS
            .iter()
            .find_map(|s| rest.strip_suffix(s).map(|id| (id, *s)))
            .filter(|(id, _)| {
                !id.is_empty()
                    && id
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            })
        else {
            return Err(ConfigError::UnknownSetting(key));
        };
        by_id
            .entry(id.to_string())
            .or_default()
            .insert(setting, (key.clone(), value));
    }
    let mut out = Vec::new();
    for (id_upper, mut s) in by_id {
        let id = id_upper.to_ascii_lowercase();
        let Some((_, client_id)) = s.remove("_CLIENT_ID") else {
            let (var, _) = s.into_values().next().expect("at least one setting");
            return Err(ConfigError::NoClientId { var, id: id_upper });
        };
        let client_secret = s.remove("_CLIENT_SECRET").map(|(_, v)| v);
        let name = s.remove("_NAME").map(|(_, v)| v);
        let scopes = s.remove("_SCOPES").map(|(_, v)| v);
        let not_applicable = |s: &BTreeMap<&str, (String, String)>| {
            s.values().next().map(|(var, _)| ConfigError::NotApplicable {
                var: var.clone(),
                id: id.clone(),
            })
        };
        let builtin = matches!(id.as_str(), "google" | "facebook" | "linkedin");
        if builtin && client_secret.is_none() {
            return Err(ConfigError::NoClientSecret { id: id_upper });
        }
        let protocol = if id == "facebook" {
            let mut url = |setting: &str, default: &str| match s.remove(setting) {
                Some((var, v)) => check_url(&var, &v),
                None => Ok(default.to_string()),
            };
            let p = Protocol::Facebook {
                auth_url: url("_AUTH_URL", FACEBOOK_AUTH_URL)?,
                token_url: url("_TOKEN_URL", FACEBOOK_TOKEN_URL)?,
                userinfo_url: url("_USERINFO_URL", FACEBOOK_USERINFO_URL)?,
            };
            if let Some(e) = not_applicable(&s) {
                return Err(e);
            }
            p
        } else {
            let default = match id.as_str() {
                "google" => Some("https://accounts.google.com"),
                "linkedin" => Some("https://www.linkedin.com/oauth"),
                _ => None,
            };
            let issuer = match (s.remove("_ISSUER"), default) {
                (Some((var, v)), _) => check_url(&var, &v)?,
                (None, Some(d)) => d.to_string(),
                (None, None) => return Err(ConfigError::NoIssuer { id: id_upper }),
            };
            if let Some(e) = not_applicable(&s) {
                return Err(e);
            }
            Protocol::Oidc { issuer }
        };
        let is_oidc = matches!(protocol, Protocol::Oidc { .. });
        let mut scopes = scopes.unwrap_or_else(|| if is_oidc { OIDC_SCOPES } else { FACEBOOK_SCOPES }.into());
        if is_oidc && !scopes.split_whitespace().any(|s| s == "openid") {
            scopes = format!("openid {scopes}");
        }
        let name = name.unwrap_or_else(|| match id.as_str() {
            "google" => "Google".into(),
            "facebook" => "Facebook".into(),
            "linkedin" => "LinkedIn".into(),
            _ => id.clone(),
        });
        out.push(ProviderConfig {
            id,
            name,
            protocol,
            client_id,
            client_secret,
            scopes,
        });
    }
    // The well-known ones first, in a fixed order; then the others by id.
    let rank = |id: &str| {
        ["google", "facebook", "linkedin"]
            .iter()
            .position(|b| *b == id)
            .unwrap_or(3)
    };
    out.sort_by(|a, b| (rank(&a.id), &a.id).cmp(&(rank(&b.id), &b.id)));
    Ok(out)
}

/// The per-flow values sent to the provider, all derived from the flow cookie's secret: the
/// database keeps only the secret's hash, so nothing stored can complete a sign-in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowSecrets {
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

impl FlowSecrets {
    pub fn derive(secret: &str) -> Self {
        let d = |label: &str| URL_SAFE_NO_PAD.encode(Sha256::digest(format!("agora-{label}:{secret}")));
        FlowSecrets {
            state: d("state"),
            nonce: d("nonce"),
            pkce_verifier: d("pkce"),
        }
    }
}

/// Compares without leaking where the first difference is.
pub fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// What Agora keeps of a provider account (S6).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub first_name: String,
    pub last_name: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    #[error("unknown provider")]
    Unknown,
    #[error("discovery failed: {0}")]
    Discovery(String),
    #[error("token request failed: {0}")]
    Token(String),
    #[error("ID token refused: {0}")]
    IdToken(String),
    #[error("profile request failed: {0}")]
    Profile(String),
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
struct IdTokenField {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
}
impl ExtraTokenFields for IdTokenField {}
type TokenResult = StandardTokenResponse<IdTokenField, BasicTokenType>;
type OAuthClient = oauth2::Client<
    BasicErrorResponse,
    TokenResult,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
>;
/// A client that can exchange codes (token endpoint set, nothing else).
type TokenClient = oauth2::Client<
    BasicErrorResponse,
    TokenResult,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointNotSet,
    oauth2::EndpointSet,
>;

/// What discovery tells about an OpenID Connect provider.
struct Metadata {
    fetched: Instant,
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    userinfo_endpoint: Option<String>,
    jwks_uri: String,
    /// `client_secret_basic` (the default) or else `client_secret_post`.
    basic_auth: bool,
    keys: Mutex<Option<(Arc<JwkSet>, Instant)>>,
}

#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    userinfo_endpoint: Option<String>,
    jwks_uri: String,
    token_endpoint_auth_methods_supported: Option<Vec<String>>,
}

const METADATA_TTL: Duration = Duration::from_secs(3600);
/// A token signed with an unknown key makes Agora fetch the keys again, at most this often.
const KEYS_REFRESH: Duration = Duration::from_secs(30);
/// Signature algorithms accepted for ID tokens: asymmetric only, never `none` or HMAC.
const ID_TOKEN_ALGS: &[Algorithm] = &[
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
];

/// The configured providers, and a client to talk to them.
pub struct Providers {
    configs: Vec<ProviderConfig>,
    http: reqwest::Client,
    metadata: Mutex<HashMap<String, Arc<Metadata>>>,
}

impl std::fmt::Debug for Providers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.configs.iter().map(|c| &c.id))
            .finish()
    }
}

impl Providers {
    pub fn new(configs: Vec<ProviderConfig>) -> Self {
        let http = reqwest::Client::builder()
            // The token endpoint must answer itself; following redirects could leak the code.
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(10))
            .user_agent("Agora")
            .build()
            .expect("HTTP client with rustls");
        Providers {
            configs,
            http,
            metadata: Mutex::new(HashMap::new()),
        }
    }

    pub fn none() -> Self {
        Self::new(Vec::new())
    }

    /// The providers configured in this process's environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Ok(Self::new(from_vars(std::env::vars())?))
    }

    pub fn list(&self) -> Vec<ProviderInfo> {
        self.configs
            .iter()
            .map(|c| ProviderInfo {
                id: c.id.clone(),
                name: c.name.clone(),
            })
            .collect()
    }

    pub fn get(&self, id: &str) -> Option<&ProviderConfig> {
        self.configs.iter().find(|c| c.id == id)
    }

    /// The display name of a provider; its id if it is no longer configured.
    pub fn name(&self, id: &str) -> String {
        self.get(id).map_or_else(|| id.to_string(), |c| c.name.clone())
    }

    async fn get_json(&self, url: &str, bearer: Option<&str>) -> Result<Value, String> {
        let mut req = self
            .http
            .get(url)
            .header(http::header::ACCEPT, "application/json");
        if let Some(token) = bearer {
            req = req.bearer_auth(token);
        }
        let res = req.send().await.map_err(|e| e.without_url().to_string())?;
        let status = res.status();
        if !status.is_success() {
            return Err(format!("HTTP {status}"));
        }
        res.json::<Value>().await.map_err(|e| e.without_url().to_string())
    }

    async fn metadata(&self, cfg: &ProviderConfig, issuer: &str) -> Result<Arc<Metadata>, ProviderError> {
        if let Some(m) = self.metadata.lock().unwrap().get(&cfg.id)
            && m.fetched.elapsed() < METADATA_TTL
        {
            return Ok(m.clone());
        }
        let url = format!("{issuer}/.well-known/openid-configuration");
        let json = self
            .get_json(&url, None)
            .await
            .map_err(ProviderError::Discovery)?;
        let d: Discovery =
            serde_json::from_value(json).map_err(|e| ProviderError::Discovery(e.to_string()))?;
        // OpenID Connect Discovery 1.0 §4.3: the document must name the issuer it came from.
        if d.issuer.trim_end_matches('/') != issuer {
            return Err(ProviderError::Discovery(format!(
                "issuer {} does not match the configured {issuer}",
                d.issuer
            )));
        }
        for (what, u) in [
            ("authorization_endpoint", Some(&d.authorization_endpoint)),
            ("token_endpoint", Some(&d.token_endpoint)),
            ("jwks_uri", Some(&d.jwks_uri)),
            ("userinfo_endpoint", d.userinfo_endpoint.as_ref()),
        ] {
            if let Some(u) = u {
                check_url(what, u).map_err(|e| ProviderError::Discovery(e.to_string()))?;
            }
        }
        let basic_auth = d.token_endpoint_auth_methods_supported.as_ref().is_none_or(|m| {
            m.iter().any(|x| x == "client_secret_basic") || !m.iter().any(|x| x == "client_secret_post")
        });
        let m = Arc::new(Metadata {
            fetched: Instant::now(),
            issuer: d.issuer,
            authorization_endpoint: d.authorization_endpoint,
            token_endpoint: d.token_endpoint,
            userinfo_endpoint: d.userinfo_endpoint,
            jwks_uri: d.jwks_uri,
            basic_auth,
            keys: Mutex::new(None),
        });
        self.metadata.lock().unwrap().insert(cfg.id.clone(), m.clone());
        Ok(m)
    }

    async fn keys(&self, m: &Metadata, refresh: bool) -> Result<Arc<JwkSet>, ProviderError> {
        if let Some((keys, at)) = m.keys.lock().unwrap().as_ref()
            && (!refresh || at.elapsed() < KEYS_REFRESH)
        {
            return Ok(keys.clone());
        }
        let json = self
            .get_json(&m.jwks_uri, None)
            .await
            .map_err(|e| ProviderError::IdToken(format!("keys: {e}")))?;
        let set: JwkSet =
            serde_json::from_value(json).map_err(|e| ProviderError::IdToken(format!("keys: {e}")))?;
        let set = Arc::new(set);
        *m.keys.lock().unwrap() = Some((set.clone(), Instant::now()));
        Ok(set)
    }

    fn client(
        cfg: &ProviderConfig,
        token_url: &str,
        redirect_uri: &str,
        basic_auth: bool,
    ) -> Result<TokenClient, ProviderError> {
        let bad = |e: oauth2::url::ParseError| ProviderError::Token(e.to_string());
        let mut client = OAuthClient::new(ClientId::new(cfg.client_id.clone()))
            .set_token_uri(TokenUrl::new(token_url.to_string()).map_err(bad)?)
            .set_redirect_uri(RedirectUrl::new(redirect_uri.to_string()).map_err(bad)?)
            .set_auth_type(if basic_auth {
                AuthType::BasicAuth
            } else {
                AuthType::RequestBody
            });
        if let Some(secret) = &cfg.client_secret {
            client = client.set_client_secret(ClientSecret::new(secret.clone()));
        }
        Ok(client)
    }

    /// Where to send the browser: the provider's authorization endpoint with the client id,
    /// redirect URI, scopes, `state`, PKCE challenge (S256) and, for OpenID Connect, `nonce`.
    pub async fn authorization_url(
        &self,
        id: &str,
        redirect_uri: &str,
        secrets: &FlowSecrets,
    ) -> Result<String, ProviderError> {
        let cfg = self.get(id).ok_or(ProviderError::Unknown)?;
        let (auth_url, nonce) = match &cfg.protocol {
            Protocol::Oidc { issuer } => {
                let m = self.metadata(cfg, issuer).await?;
                (m.authorization_endpoint.clone(), Some(&secrets.nonce))
            }
            Protocol::Facebook { auth_url, .. } => (auth_url.clone(), None),
        };
        let bad = |e: oauth2::url::ParseError| ProviderError::Discovery(e.to_string());
        let client = OAuthClient::new(ClientId::new(cfg.client_id.clone()))
            .set_auth_uri(AuthUrl::new(auth_url).map_err(bad)?)
            .set_redirect_uri(RedirectUrl::new(redirect_uri.to_string()).map_err(bad)?);
        let verifier = PkceCodeVerifier::new(secrets.pkce_verifier.clone());
        let state = secrets.state.clone();
        let mut req = client
            .authorize_url(move || CsrfToken::new(state))
            .add_scopes(cfg.scopes.split_whitespace().map(|s| Scope::new(s.to_string())))
            .set_pkce_challenge(PkceCodeChallenge::from_code_verifier_sha256(&verifier));
        if let Some(nonce) = nonce {
            req = req.add_extra_param("nonce", nonce.as_str());
        }
        Ok(req.url().0.to_string())
    }

    /// Exchanges the authorization code and returns who signed in.
    pub async fn profile(
        &self,
        id: &str,
        redirect_uri: &str,
        code: &str,
        secrets: &FlowSecrets,
    ) -> Result<Profile, ProviderError> {
        let cfg = self.get(id).ok_or(ProviderError::Unknown)?;
        match &cfg.protocol {
            Protocol::Oidc { issuer } => self.oidc_profile(cfg, issuer, redirect_uri, code, secrets).await,
            Protocol::Facebook {
                token_url,
                userinfo_url,
                ..
            } => {
                // Facebook takes the client credentials in the request body.
                let client = Self::client(cfg, token_url, redirect_uri, false)?;
                let token = self.exchange(&client, code, secrets).await?;
                let access = token.access_token().secret();
                let mut url = format!("{userinfo_url}?fields={FACEBOOK_FIELDS}");
                if let Some(secret) = &cfg.client_secret {
                    url.push_str(&format!("&appsecret_proof={}", appsecret_proof(secret, access)));
                }
                let me = self
                    .get_json(&url, Some(access))
                    .await
                    .map_err(ProviderError::Profile)?;
                let subject = match me.get("id") {
                    Some(Value::String(s)) if !s.is_empty() => s.clone(),
                    _ => return Err(ProviderError::Profile("no id".into())),
                };
                // Facebook returns only an address its user has confirmed.
                Ok(profile_from(subject, &[&me], Some(true)))
            }
        }
    }

    async fn exchange(
        &self,
        client: &TokenClient,
        code: &str,
        secrets: &FlowSecrets,
    ) -> Result<TokenResult, ProviderError> {
        client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .set_pkce_verifier(PkceCodeVerifier::new(secrets.pkce_verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|e| {
                ProviderError::Token(match e {
                    RequestTokenError::ServerResponse(r) => r.error().to_string(),
                    RequestTokenError::Request(e) => format!("request: {e}"),
                    RequestTokenError::Parse(e, _) => format!("response: {e}"),
                    RequestTokenError::Other(e) => e,
                })
            })
    }

    async fn oidc_profile(
        &self,
        cfg: &ProviderConfig,
        issuer: &str,
        redirect_uri: &str,
        code: &str,
        secrets: &FlowSecrets,
    ) -> Result<Profile, ProviderError> {
        let m = self.metadata(cfg, issuer).await?;
        let client = Self::client(cfg, &m.token_endpoint, redirect_uri, m.basic_auth)?;
        let token = self.exchange(&client, code, secrets).await?;
        let id_token = token
            .extra_fields()
            .id_token
            .as_deref()
            .ok_or_else(|| ProviderError::IdToken("no ID token in the token response".into()))?;
        let claims = self.check_id_token(cfg, &m, id_token, &secrets.nonce).await?;
        let subject = match claims.get("sub") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            _ => return Err(ProviderError::IdToken("no subject".into())),
        };
        let userinfo = match &m.userinfo_endpoint {
            Some(url) => {
                let info = self
                    .get_json(url, Some(token.access_token().secret()))
                    .await
                    .map_err(ProviderError::Profile)?;
                // OpenID Connect Core §5.3.2: a userinfo answer about someone else is discarded.
                if info.get("sub").and_then(Value::as_str) != Some(subject.as_str()) {
                    return Err(ProviderError::Profile("userinfo is about another subject".into()));
                }
                Some(info)
            }
            None => None,
        };
        let sources: Vec<&Value> = userinfo.iter().chain(std::iter::once(&claims)).collect();
        Ok(profile_from(subject, &sources, None))
    }

    /// OpenID Connect Core §3.1.3.7: signature by one of the issuer's keys with an
    /// asymmetric algorithm, `iss`, `aud` (and `azp` when there are several audiences),
    /// `exp` (60 s leeway), and the `nonce` of this flow.
    async fn check_id_token(
        &self,
        cfg: &ProviderConfig,
        m: &Metadata,
        token: &str,
        nonce: &str,
    ) -> Result<Value, ProviderError> {
        let bad = |e: &dyn std::fmt::Display| ProviderError::IdToken(e.to_string());
        let header = jsonwebtoken::decode_header(token).map_err(|e| bad(&e))?;
        if !ID_TOKEN_ALGS.contains(&header.alg) {
            return Err(bad(&format!("algorithm {:?} not accepted", header.alg)));
        }
        let find = |keys: &JwkSet| match &header.kid {
            Some(kid) => keys.find(kid).cloned(),
            None if keys.keys.len() == 1 => keys.keys.first().cloned(),
            None => None,
        };
        let jwk = match find(&*self.keys(m, false).await?) {
            Some(k) => k,
            // The provider may have rotated its keys since they were fetched.
            None => find(&*self.keys(m, true).await?).ok_or_else(|| bad(&"signed with an unknown key"))?,
        };
        let key = DecodingKey::from_jwk(&jwk).map_err(|e| bad(&e))?;
        let mut v = Validation::new(header.alg);
        v.leeway = 60;
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        v.set_audience(&[&cfg.client_id]);
        let mut issuers = vec![m.issuer.clone()];
        if cfg.id == "google" {
            // Google documents both forms of its issuer in ID tokens.
            issuers.push("accounts.google.com".into());
        }
        v.set_issuer(&issuers);
        let claims = jsonwebtoken::decode::<Value>(token, &key, &v)
            .map_err(|e| bad(&e))?
            .claims;
        if let Some(Value::Array(auds)) = claims.get("aud")
            && auds.len() > 1
            && claims.get("azp").and_then(Value::as_str) != Some(cfg.client_id.as_str())
        {
            return Err(bad(&"several audiences and azp is not this client"));
        }
        match claims.get("nonce").and_then(Value::as_str) {
            Some(n) if same(n, nonce) => Ok(claims),
            _ => Err(bad(&"nonce does not match this sign-in")),
        }
    }
}

/// Facebook's `appsecret_proof`: HMAC-SHA256 of the access token keyed with the app secret.
fn appsecret_proof(secret: &str, token: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key length");
    mac.update(token.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn text(v: &Value) -> Option<String> {
    v.as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// What a provider sends is user text too (issue 13): cleaned, then cut.
fn short(s: String) -> String {
    crate::platform::text::clean(&s).chars().take(100).collect()
}

/// A name from a provider: [`short`] and on one line.
fn name(s: String) -> String {
    short(crate::platform::text::line(&s))
}

/// Takes e-mail and name from the first source that has them (userinfo before the ID
/// token). `email_verified` may be a boolean or, with some providers, a string.
fn profile_from(subject: String, sources: &[&Value], verified: Option<bool>) -> Profile {
    let get = |key: &str| sources.iter().find_map(|s| s.get(key).and_then(text));
    let email = get("email")
        .map(|e| normalise_email(&e))
        .filter(|e| email_is_valid(e));
    let email_verified = verified.unwrap_or_else(|| {
        sources
            .iter()
            .find_map(|s| match s.get("email_verified") {
                Some(Value::Bool(b)) => Some(*b),
                Some(Value::String(s)) => Some(s == "true"),
                _ => None,
            })
            .unwrap_or(false)
    });
    let (mut first, mut last) = (
        get("given_name").or_else(|| get("first_name")),
        get("family_name").or_else(|| get("last_name")),
    );
    if first.is_none()
        && last.is_none()
        && let Some(full) = get("name")
    {
        match full.rsplit_once(char::is_whitespace) {
            Some((f, l)) => (first, last) = (Some(f.trim().into()), Some(l.trim().into())),
            None => first = Some(full),
        }
    }
    Profile {
        subject: short(subject),
        email,
        email_verified,
        first_name: name(first.unwrap_or_default()),
        last_name: name(last.unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn only_providers_with_a_client_id_are_configured() {
        assert_eq!(
            from_vars(vars(&[("PATH", "/bin"), ("AGORA_BIND", "x")])).unwrap(),
            vec![]
        );
        let list = from_vars(vars(&[
            ("AGORA_AUTH_LINKEDIN_CLIENT_ID", "l"),
            ("AGORA_AUTH_LINKEDIN_CLIENT_SECRET", "ls"),
            ("AGORA_AUTH_EDU_ID_CLIENT_ID", "e"),
            ("AGORA_AUTH_EDU_ID_ISSUER", "https://login.eduid.example/"),
            ("AGORA_AUTH_EDU_ID_NAME", "eduID"),
            ("AGORA_AUTH_GOOGLE_CLIENT_ID", "g"),
            ("AGORA_AUTH_GOOGLE_CLIENT_SECRET", "gs"),
            ("AGORA_AUTH_FACEBOOK_CLIENT_ID", ""),
        ]))
        .unwrap();
        let ids: Vec<_> = list.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["google", "linkedin", "edu_id"]);
        assert_eq!(
            list[0].protocol,
            Protocol::Oidc {
                issuer: "https://accounts.google.com".into()
            }
        );
        assert_eq!(list[0].scopes, "openid email profile");
        assert_eq!(
            list[2].protocol,
            Protocol::Oidc {
                issuer: "https://login.eduid.example".into()
            }
        );
        assert_eq!(list[2].name, "eduID");
        assert!(
            !format!("{:?}", list[0]).contains("gs"),
            "secrets are not printed"
        );
    }

    #[test]
    fn facebook_endpoints_can_be_overridden() {
        let list = from_vars(vars(&[
            ("AGORA_AUTH_FACEBOOK_CLIENT_ID", "f"),
            ("AGORA_AUTH_FACEBOOK_CLIENT_SECRET", "fs"),
            ("AGORA_AUTH_FACEBOOK_TOKEN_URL", "http://127.0.0.1:9/token"),
        ]))
        .unwrap();
        assert_eq!(
            list[0].protocol,
            Protocol::Facebook {
                auth_url: FACEBOOK_AUTH_URL.into(),
                token_url: "http://127.0.0.1:9/token".into(),
                userinfo_url: FACEBOOK_USERINFO_URL.into(),
            }
        );
        assert_eq!(list[0].scopes, "email public_profile");
    }

    #[test]
    fn mistakes_are_reported_by_variable_name() {
        let err = |pairs: &[(&str, &str)]| from_vars(vars(pairs)).unwrap_err().to_string();
        assert!(err(&[("AGORA_AUTH_X_CLIENT_ID", "x")]).contains("AGORA_AUTH_X_ISSUER is required"));
        assert!(
            err(&[("AGORA_AUTH_GOOGLE_CLIENT_ID", "x")])
                .contains("AGORA_AUTH_GOOGLE_CLIENT_SECRET is required")
        );
        assert!(
            err(&[("AGORA_AUTH_X_ISSUER", "https://x.example")]).contains("AGORA_AUTH_X_CLIENT_ID is not")
        );
        assert!(err(&[("AGORA_AUTH_X_TENANT", "y")]).contains("unknown setting"));
        assert!(
            err(&[
                ("AGORA_AUTH_X_CLIENT_ID", "x"),
                ("AGORA_AUTH_X_ISSUER", "http://idp.example")
            ])
            .contains("https://")
        );
        assert!(
            err(&[
                ("AGORA_AUTH_X_CLIENT_ID", "x"),
                ("AGORA_AUTH_X_ISSUER", "https://idp.example"),
                ("AGORA_AUTH_X_TOKEN_URL", "https://idp.example/t"),
            ])
            .contains("does not apply")
        );
    }

    #[test]
    fn flow_values_are_derived_distinct_and_pkce_sized() {
        let a = FlowSecrets::derive("secret-a");
        assert_eq!(a, FlowSecrets::derive("secret-a"));
        assert_ne!(a.state, FlowSecrets::derive("secret-b").state);
        assert!(a.state != a.nonce && a.nonce != a.pkce_verifier);
        assert_eq!(a.pkce_verifier.len(), 43, "RFC 7636: 43 to 128 characters");
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }

    #[test]
    fn profile_prefers_userinfo_and_splits_a_full_name() {
        let info = serde_json::json!({"sub": "1", "email": " Karen@Skole.DK ", "email_verified": "true"});
        let id = serde_json::json!({"sub": "1", "name": "Karen Marie Nielsen", "email": "old@x.dk"});
        let p = profile_from("1".into(), &[&info, &id], None);
        assert_eq!(p.email.as_deref(), Some("karen@skole.dk"));
        assert!(p.email_verified);
        assert_eq!(
            (p.first_name.as_str(), p.last_name.as_str()),
            ("Karen Marie", "Nielsen")
        );
        let none = profile_from(
            "2".into(),
            &[&serde_json::json!({"email": "not an address"})],
            None,
        );
        assert_eq!(none.email, None);
        assert!(!none.email_verified);
        assert_eq!(none.first_name, "");
    }

    #[test]
    fn appsecret_proof_is_hex_hmac_sha256() {
        // RFC 4231 test case 2.
        assert_eq!(
            appsecret_proof("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
