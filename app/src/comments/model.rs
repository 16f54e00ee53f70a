use serde::{Deserialize, Serialize};

/// The longest comment, in characters.
pub const MAX_COMMENT_CHARS: usize = 5_000;
/// Comments on one page, oldest first.
pub const COMMENTS_PER_PAGE: i64 = 20;

/// A comment as shown in public (S18). A removed comment, or one whose author is no longer
/// visible (T7, S14), keeps its place in the thread without its author or text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub id: i64,
    pub author_id: Option<i64>,
    pub first_name: String,
    pub last_name: String,
    /// Rendered and sanitised on the server; empty when removed or hidden.
    pub body_html: String,
    /// The Markdown, sent only to its author (for the edit form).
    pub body: Option<String>,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub removed: bool,
    pub hidden: bool,
    pub can_edit: bool,
    pub can_remove: bool,
}

/// One page of a published listing's comments and what the viewer may do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommentsPage {
    pub slug: String,
    pub comments: Vec<Comment>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub signed_in: bool,
    pub can_comment: bool,
}

/// A published listing's title, for pages about it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListingHeading {
    pub slug: String,
    pub title: String,
    /// `course`, `mobility` or `partnership`.
    pub kind: String,
}
