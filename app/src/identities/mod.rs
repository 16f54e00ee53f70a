//! Sign-in with other accounts (S6): Google, Facebook, LinkedIn and any OpenID Connect
//! provider. `providers` talks to them, `flow` runs a sign-in from the redirect to a
//! session, `db` holds the linked identities, `api` and `pages` are the server functions
//! and views (`/welcome`, `/link-account`, `/settings/accounts`, `/auth/notice`, and the
//! `ProviderButtons`), and `sign_in`, the sign-in page where every way of signing in meets
//! (this area builds on `accounts`, so the page that shows both lives here).
pub mod api;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod flow;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod providers;
pub mod sign_in;

pub use pages::ProviderButtons;

/// The link that starts a sign-in with `provider` and comes back to `next`.
pub fn start_href(provider: &str, next: Option<&str>) -> String {
    match next.map(crate::ui::redirect::safe_next) {
        Some(n) if n != "/" => format!(
            "/auth/{provider}/start?next={}",
            crate::ui::redirect::encode_path(&n)
        ),
        _ => format!("/auth/{provider}/start"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn start_links_carry_an_encoded_local_next() {
        assert_eq!(start_href("google", None), "/auth/google/start");
        assert_eq!(
            start_href("google", Some("/courses?a=1&b")),
            "/auth/google/start?next=/courses%3Fa%3D1%26b"
        );
        assert_eq!(start_href("google", Some("//evil.example")), "/auth/google/start");
    }
}
