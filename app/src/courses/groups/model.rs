//! Group types on the wire.
use serde::{Deserialize, Serialize};

/// `assigned`: the staff place learners; `open`: a theme-based group learners join and
/// leave themselves (up to its capacity). Names are `runs.group_kind_<code>`.
pub const GROUP_KINDS: &[&str] = &["assigned", "open"];

/// The staff's form for a new group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct GroupForm {
    #[serde(default)]
    pub name: String,
    /// Markdown.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub theme: String,
    #[serde(default)]
    pub kind: String,
    /// Open groups: at most this many members; empty for no limit.
    #[serde(default)]
    pub capacity: String,
}

/// A group in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    pub id: i64,
    pub name: String,
    pub theme: String,
    pub kind: String,
    pub capacity: Option<i64>,
    /// Members who are learners of the run.
    pub members: i64,
    /// Whether the viewer is a member.
    pub mine: bool,
    /// Sanitised HTML from the description's Markdown.
    pub description_html: String,
}

impl GroupSummary {
    pub fn full(&self) -> bool {
        self.capacity.is_some_and(|c| self.members >= c)
    }
}

/// A person in a group or a run (name only: never an e-mail address).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupPerson {
    pub user_id: i64,
    pub name: String,
}

/// The groups part of `/learn/{run}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunGroups {
    pub run_id: i64,
    /// The viewer is a learner of the run (joins and leaves open groups).
    pub learner: bool,
    /// The viewer manages the run's groups (staff, platform admins): `manage_href` is theirs.
    pub manage_href: Option<String>,
    /// Learners: their groups; staff: every group.
    pub mine: Vec<GroupSummary>,
    /// Learners: open groups they are not in.
    pub open: Vec<GroupSummary>,
}

/// `/learn/{run}/groups/{group}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupPage {
    pub run_id: i64,
    pub run_title: String,
    pub course_title: String,
    pub group: GroupSummary,
    pub members: Vec<GroupPerson>,
    /// A learner in an open group may leave it here.
    pub can_leave: bool,
    pub manage_href: Option<String>,
}

/// One group on the staff's page, with its members.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManagedGroup {
    pub group: GroupSummary,
    pub members: Vec<GroupPerson>,
}

/// `/courses/{slug}/runs/{run}/groups`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupsEditor {
    pub course_slug: String,
    pub course_title: String,
    pub run_id: i64,
    pub run_title: String,
    pub groups: Vec<ManagedGroup>,
    /// The run's active learners, to place in groups.
    pub learners: Vec<GroupPerson>,
}

/// `/courses/{slug}/runs/{run}/groups/{group}/edit`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupEditor {
    pub course_slug: String,
    pub course_title: String,
    pub run_id: i64,
    pub run_title: String,
    pub group_id: i64,
    pub form: GroupForm,
}
