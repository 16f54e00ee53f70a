//! The account pages: registration, the one-time link pages, settings, profiles.
mod links;
mod profile;
mod register;
mod settings;

pub use links::{ConfirmEmailPage, ForgotPasswordPage, ResetPasswordPage, VerifyEmailPage};
pub use profile::{EditProfilePage, ProfilePage};
pub use register::{RegisterPage, RegisterSentPage};
pub use settings::SettingsPage;
