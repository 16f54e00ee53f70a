//! The error type that crosses the wire from server functions to pages.
use crate::i18n::Msg;
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

/// A problem with one form field; `message` is an i18n key (see `app/locales`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &str, msg: Msg) -> Self {
        Self {
            field: field.into(),
            message: msg.key().into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Missing, or not visible to the asker: the two are indistinguishable on purpose.
    #[error("not found")]
    NotFound,
    /// The request needs a signed-in user.
    #[error("sign-in required")]
    SignInRequired,
    /// Problems with individual fields, shown next to each field.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The form as a whole was refused; the i18n key says why (e.g. `signin.failed`).
    #[error("refused: {0}")]
    Refused(String),
    /// Too many attempts: the user may try again after this many seconds.
    #[error("too many attempts, retry in {0} s")]
    TooManyAttempts(u64),
    /// The request itself could not be read: arguments of the wrong type, missing or
    /// malformed (issue 13: the caller's mistake, answered 400, never 500).
    #[error("bad request")]
    BadRequest,
    /// Something went wrong on the server; details are in the server log, not here.
    #[error("internal error")]
    Internal,
    #[error("{0}")]
    ServerFn(ServerFnErrorErr),
}

impl AppError {
    pub fn refused(msg: Msg) -> Self {
        AppError::Refused(msg.key().into())
    }

    pub fn field(field: &str, msg: Msg) -> Self {
        AppError::Invalid(vec![FieldError::new(field, msg)])
    }

    /// The message for one field, if this error has one.
    pub fn for_field(&self, field: &str) -> Option<Msg> {
        match self {
            AppError::Invalid(list) => list
                .iter()
                .find(|e| e.field == field)
                .and_then(|e| Msg::from_key(&e.message)),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // On the server these three come only from decoding the caller's arguments; the
        // decoder's own message (which echoes the input) stays in the log.
        #[cfg(feature = "ssr")]
        if let ServerFnErrorErr::Args(m)
        | ServerFnErrorErr::MissingArg(m)
        | ServerFnErrorErr::Deserialization(m) = &value
        {
            tracing::debug!(error = %m, "undecodable server function arguments");
            return AppError::BadRequest;
        }
        AppError::ServerFn(value)
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        tracing::error!(error = %e, "database error");
        AppError::Internal
    }
}
