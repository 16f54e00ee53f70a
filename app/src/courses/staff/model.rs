//! What the course staff's pages of a run show (S12): the types that cross the wire.
use serde::{Deserialize, Serialize};

/// Learners per page of the progress table.
pub const PAGE_SIZE: i64 = 50;
/// Weeks shown in the "active learners per week" chart (the latest ones with activity).
pub const CHART_WEEKS: usize = 26;
/// The longest reason staff may give for marking an item complete.
pub const REASON_MAX: usize = 500;

/// The progress table's filters, sort and page, as in the page's query string. Unknown
/// values mean "no filter" (and the default sort), never an error.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressQuery {
    /// Part of the learner's name.
    #[serde(default)]
    pub q: String,
    /// `completed`, `in_progress`, `not_started` (of active learners), or empty.
    #[serde(default)]
    pub state: String,
    /// A module's id: only learners who have not completed it.
    #[serde(default)]
    pub module: String,
    /// `active` (the default), `waiting`, `ended` (left or removed) or `all`.
    #[serde(default)]
    pub enrolment: String,
    /// `name` (the default), `progress` (most done first) or `progress_asc`.
    #[serde(default)]
    pub sort: String,
    #[serde(default)]
    pub page: i64,
}

pub const STATES: &[&str] = &["completed", "in_progress", "not_started"];
pub const ENROLMENTS: &[&str] = &["active", "waiting", "ended", "all"];
pub const SORTS: &[&str] = &["name", "progress", "progress_asc"];

impl ProgressQuery {
    /// Issue 13: every filter text has a length limit, checked before the database.
    #[cfg(feature = "ssr")]
    pub fn check(&self) -> Result<(), crate::error::AppError> {
        crate::check::search_fields(&[
            ("q", &self.q),
            ("state", &self.state),
            ("module", &self.module),
            ("enrolment", &self.enrolment),
            ("sort", &self.sort),
        ])
    }

    pub fn state(&self) -> Option<&'static str> {
        STATES.iter().copied().find(|s| *s == self.state)
    }

    pub fn enrolment(&self) -> &'static str {
        ENROLMENTS
            .iter()
            .copied()
            .find(|s| *s == self.enrolment)
            .unwrap_or("active")
    }

    pub fn sort(&self) -> &'static str {
        SORTS.iter().copied().find(|s| *s == self.sort).unwrap_or("name")
    }

    pub fn module(&self) -> Option<i64> {
        self.module.trim().parse().ok()
    }

    pub fn page(&self) -> i64 {
        self.page.max(1)
    }

    /// The query string of these filters (no page), for links and the CSV export.
    pub fn to_query(&self) -> String {
        let values = [
            ("q", self.q.trim().to_string()),
            ("state", self.state().unwrap_or("").to_string()),
            ("module", self.module().map(|m| m.to_string()).unwrap_or_default()),
            (
                "enrolment",
                if self.enrolment() == "active" {
                    String::new()
                } else {
                    self.enrolment().to_string()
                },
            ),
            (
                "sort",
                if self.sort() == "name" {
                    String::new()
                } else {
                    self.sort().to_string()
                },
            ),
        ];
        values
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| format!("{k}={}", crate::ui::redirect::encode_path(v)))
            .collect::<Vec<_>>()
            .join("&")
    }
}

/// A module as a column of the table, with how many active learners completed it (the
/// completion funnel).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleHead {
    pub id: i64,
    pub title: String,
    /// Required items in the module.
    pub required: i64,
    /// Active learners who have done every required item of the module.
    pub completed: i64,
}

/// One learner's required items done in one module.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleCell {
    pub done: i64,
    /// Of them, marked complete by the course staff.
    pub by_staff: i64,
}

/// A row of the progress table (and of the CSV exports).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerRow {
    pub user_id: i64,
    /// "First Last"; empty when [`LearnerRow::deactivated`].
    pub name: String,
    /// T7: the account is deactivated (or anonymised). Its name never leaves the server;
    /// pages and exports show a neutral label instead, and its progress still counts.
    pub deactivated: bool,
    /// `active`, `waiting`, `left` or `removed`.
    pub status: String,
    /// `YYYY-MM-DD` (UTC).
    pub enrolled_on: String,
    /// When the learner left or was removed; empty otherwise.
    pub ended_on: String,
    /// Required items done, and of them marked by staff.
    pub done: i64,
    pub by_staff: i64,
    /// Required items of the course.
    pub total: i64,
    /// The last day with a visit (`YYYY-MM-DD`), empty if none.
    pub last_active: String,
    /// Attendance: days with a visit.
    pub days: i64,
    /// One per module, in the order of [`ProgressPage::modules`].
    pub modules: Vec<ModuleCell>,
    pub certificate: bool,
}

impl LearnerRow {
    /// The name staff see: the learner's, or for a deactivated account (T7) the neutral
    /// label in `lang`.
    pub fn label(&self, lang: crate::i18n::Lang) -> String {
        if self.deactivated {
            lang.t(crate::i18n::Msg::CourseStaffDeactivatedLearner)
                .to_string()
        } else {
            self.name.clone()
        }
    }

    pub fn percent(&self) -> i64 {
        percent(self.done, self.total)
    }

    /// `completed`, `in_progress` or `not_started`.
    pub fn state(&self) -> &'static str {
        completion_state(self.done, self.total)
    }
}

pub fn percent(done: i64, total: i64) -> i64 {
    if total <= 0 { 0 } else { done * 100 / total }
}

/// Completed when every required item is done (a course without required items is never
/// completed); not started when none is.
pub fn completion_state(done: i64, total: i64) -> &'static str {
    if total > 0 && done >= total {
        "completed"
    } else if done > 0 {
        "in_progress"
    } else {
        "not_started"
    }
}

/// A module cell's state: `done`, `partly` or `not_started`; `none` when the module has no
/// required items.
pub fn module_state(done: i64, required: i64) -> &'static str {
    if required == 0 {
        "none"
    } else if done >= required {
        "done"
    } else if done > 0 {
        "partly"
    } else {
        "not_started"
    }
}

/// The run's numbers over all its learners, whatever the filters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub active: i64,
    pub waiting: i64,
    /// Left or removed.
    pub ended: i64,
    /// Of the active learners:
    pub completed: i64,
    pub in_progress: i64,
    pub not_started: i64,
    pub average_percent: i64,
}

/// Active learners in the week starting on `week` (a Monday, `YYYY-MM-DD`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeekCount {
    pub week: String,
    pub active: i64,
}

/// `/courses/{slug}/runs/{run}/progress`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProgressPage {
    pub course_slug: String,
    pub course_title: String,
    pub run_id: i64,
    pub run_title: String,
    pub run_published: bool,
    pub capacity: Option<i64>,
    pub modules: Vec<ModuleHead>,
    pub rows: Vec<LearnerRow>,
    /// Learners matching the filters (all pages).
    pub matching: i64,
    pub page: i64,
    pub summary: Summary,
    pub weeks: Vec<WeekCount>,
    /// Open invitations (S4): the addresses the staff typed, never a name.
    pub invitations: Vec<StaffInvitation>,
    /// The viewer edits the course (a link back to the editor).
    pub can_edit: bool,
    pub query: ProgressQuery,
}

/// One item on a learner's page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerItem {
    pub id: i64,
    pub module_title: String,
    pub title: String,
    pub required: bool,
    /// When it was done (`YYYY-MM-DD`), empty if not.
    pub done_on: String,
    pub by_staff: bool,
    /// The reason staff gave; empty for the learner's own progress.
    pub reason: String,
}

/// `/courses/{slug}/runs/{run}/learners/{user}`: one learner's progress, for the staff.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LearnerPage {
    pub course_slug: String,
    pub course_title: String,
    pub run_id: i64,
    pub run_title: String,
    pub row: LearnerRow,
    pub items: Vec<LearnerItem>,
}

/// An open invitation as the course staff see it: the address they typed and whether it
/// is still waiting or was declined. Never a name, never whether an account has the
/// address.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffInvitation {
    pub id: i64,
    pub email: String,
    pub declined: bool,
    /// The last day it is listed (`YYYY-MM-DD`, UTC); then housekeeping deletes it.
    pub expires_on: String,
}
