//! What invitations to a run look like on the wire (S4).
use serde::{Deserialize, Serialize};

/// How long an invitation link works, in days (the mail says so).
pub const LIFETIME_DAYS: i64 = 14;
pub const LIFETIME_MS: i64 = LIFETIME_DAYS * 24 * 3600 * 1000;

/// What the invited person sees before answering.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub course_slug: String,
    pub course_title: String,
    pub run_title: String,
    pub organisation: String,
}
