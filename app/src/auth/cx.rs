//! The one way a server function starts (issue 14): `let cx = Cx::get().await?;` gives
//! the platform handles and the actor of the request, and every decision goes through
//! [`Cx::require`] (the permission module) or [`Cx::signed_in`].
use super::{Action, Actor, Decision, decide, session::current_actor};
use crate::error::AppError;
use crate::platform::Platform;
use leptos::prelude::*;

pub struct Cx {
    pub p: Platform,
    pub actor: Actor,
}

impl Cx {
    /// The platform handles and the actor of the current request.
    pub async fn get() -> Result<Cx, AppError> {
        let p = use_context::<Platform>().ok_or_else(|| {
            tracing::error!("server function called without the platform in context");
            AppError::Internal
        })?;
        let actor = current_actor().await;
        Ok(Cx { p, actor })
    }

    /// The signed-in user's id, or `SignInRequired`.
    pub fn signed_in(&self) -> Result<i64, AppError> {
        self.actor.user.ok_or(AppError::SignInRequired)
    }

    /// The permission module's decision; a refusal is `NotFound`, like a missing thing.
    /// `AllowAudited` tells the caller to write its audit record.
    pub fn require(&self, action: &Action) -> Result<Decision, AppError> {
        Ok(super::require(&self.actor, action)?)
    }

    /// A signed-in user the permission module allows: sign-in first, then the decision.
    pub fn require_signed_in(&self, action: &Action) -> Result<i64, AppError> {
        let user = self.signed_in()?;
        self.require(action)?;
        Ok(user)
    }

    /// Whether the action is allowed (for what a page shows, not for access).
    pub fn allows(&self, action: &Action) -> bool {
        decide(&self.actor, action) != Decision::Deny
    }
}

/// A value the server provides to every request beside the platform: an area's own
/// configuration (sign-in providers, the embed policy, upload limits), which the ground
/// floor does not know about.
pub fn config<T: Clone + Send + Sync + 'static>() -> Result<T, AppError> {
    use_context::<T>().ok_or_else(|| {
        tracing::error!(
            what = std::any::type_name::<T>(),
            "configuration missing from context"
        );
        AppError::Internal
    })
}
