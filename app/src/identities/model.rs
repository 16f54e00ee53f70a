use serde::{Deserialize, Serialize};

/// A configured identity provider, as the pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderInfo {
    /// The URL segment: `/auth/<id>/start`.
    pub id: String,
    /// The name people know it by ("Google").
    pub name: String,
}

/// A provider account linked to the signed-in user (S6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkedIdentity {
    pub id: i64,
    pub provider: String,
    pub provider_name: String,
    /// The e-mail the provider gave when it was linked, if any.
    pub email: Option<String>,
    pub created_at: i64,
}

/// The "Sign-in methods" settings page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInMethods {
    pub has_password: bool,
    pub linked: Vec<LinkedIdentity>,
    /// Configured providers that are not linked yet.
    pub available: Vec<ProviderInfo>,
}

/// A sign-in that the provider answered but that needs the user before it can finish:
/// completing a new account (/welcome) or proving ownership of an existing one
/// (/link-account).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingSignIn {
    pub provider_name: String,
    /// The e-mail address the provider gave, or the one typed on /welcome.
    pub email: Option<String>,
    pub needs_first_name: bool,
    pub needs_last_name: bool,
    /// An account with this e-mail exists: the user must prove it is theirs.
    pub link_required: bool,
    /// A one-time link to prove ownership has been sent.
    pub proof_sent: bool,
}
