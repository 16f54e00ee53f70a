//! The actor behind the current request. Until accounts exist every request is anonymous;
//! the accounts issue replaces the body of [`current_actor`] with the session lookup.
use super::Actor;

pub async fn current_actor() -> Actor {
    Actor::anonymous()
}
