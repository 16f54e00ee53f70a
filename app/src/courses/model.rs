pub use crate::dates::{DAY_MS, day_of, parse_day};
use crate::i18n::Msg;
use serde::{Deserialize, Serialize};

/// A published course as shown in lists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct CourseCard {
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub language: String,
    pub estimated_hours: i64,
    pub organisation_name: String,
    pub organisation_slug: String,
    /// When the course image was set; `None` without one.
    pub image_updated_at: Option<i64>,
}

/// Levels a course may declare.
pub const LEVELS: &[&str] = &["introductory", "intermediate", "advanced"];
/// When a lesson counts as done: on viewing, or when the learner marks it.
pub const COMPLETION_RULES: &[&str] = &["viewed", "marked"];

/// The course settings form (authoring).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CourseForm {
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub description: String,
    pub language: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub estimated_hours: String,
    #[serde(default)]
    pub target_audience: String,
    #[serde(default)]
    pub subjects: Vec<String>,
    #[serde(default)]
    pub completion_rule: String,
}

/// A new run's form; dates are calendar days (`YYYY-MM-DD`, UTC), empty when not set.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RunForm {
    pub title: String,
    #[serde(default)]
    pub enrol_opens: String,
    #[serde(default)]
    pub enrol_closes: String,
    #[serde(default)]
    pub starts: String,
    #[serde(default)]
    pub ends: String,
    #[serde(default)]
    pub self_paced: Option<String>,
    #[serde(default)]
    pub capacity: String,
}

/// The settings page of a run, for the course's staff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSettings {
    pub course_slug: String,
    pub course_title: String,
    pub run: RunSummary,
}

/// Copying a run into a new draft run: which run, the new title and its start day
/// (`YYYY-MM-DD`); the other dates move by as many days.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CopyRunForm {
    #[serde(default)]
    pub run: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub starts: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditItem {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub required: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditModule {
    pub id: i64,
    pub title: String,
    pub items: Vec<EditItem>,
    /// Whether completing the module's required items earns a badge.
    pub badge: bool,
    /// The badge's name as set; empty means the module's title.
    pub badge_name: String,
}

/// The longest badge name, in characters.
pub const BADGE_NAME_MAX: usize = 100;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffMember {
    pub user_id: i64,
    pub name: String,
    pub kind: String,
}

/// A run as staff and the public see it. Dates are shown as calendar days.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub enrol_opens: String,
    pub enrol_closes: String,
    pub starts: String,
    pub ends: String,
    pub self_paced: bool,
    pub capacity: Option<i64>,
    pub learners: i64,
    pub waiting: i64,
    /// `open`, `not_yet`, `closed` or `full` (full runs take a waiting list).
    pub enrolment: String,
    /// The viewer's place: `` (none), `active`, or `waiting`.
    pub mine: String,
    /// The viewer's place on the waiting list, from 1.
    pub waiting_position: i64,
    /// The slug of the run's catalogue listing while it is published (reviews, S7).
    pub listing: Option<String>,
}

/// `/courses/{slug}/edit`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CourseEditor {
    pub slug: String,
    pub status: String,
    pub version: i64,
    pub organisation_name: String,
    pub form: CourseForm,
    pub modules: Vec<EditModule>,
    pub runs: Vec<RunSummary>,
    pub staff: Vec<StaffMember>,
    /// The course image's address, if it has one.
    pub image: Option<String>,
    pub max_image_bytes: u64,
    /// Someone ever enrolled in one of its runs (then it cannot be deleted).
    pub ever_enrolled: bool,
}

/// A lesson's editing form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonEditor {
    pub course_slug: String,
    pub course_title: String,
    pub item: i64,
    pub title: String,
    pub body: String,
    pub required: bool,
    /// The course's uploaded files, newest first.
    pub files: Vec<CourseFile>,
    pub max_image_bytes: u64,
    pub max_file_bytes: u64,
    /// How many bytes the course's files may take in all.
    pub files_quota_bytes: u64,
    /// Names of the providers whose videos and tools may be embedded.
    pub embed_providers: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SyllabusModule {
    pub title: String,
    pub items: Vec<String>,
}

/// `/courses/{slug}`: public for published courses (S18); a draft only for its staff.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoursePage {
    pub slug: String,
    pub title: String,
    pub summary: String,
    /// Sanitised HTML from the description's Markdown.
    pub description_html: String,
    pub language: String,
    pub level: String,
    pub estimated_hours: i64,
    pub target_audience: String,
    pub subjects: Vec<String>,
    pub status: String,
    pub organisation_name: String,
    pub organisation_slug: String,
    pub syllabus: Vec<SyllabusModule>,
    pub runs: Vec<RunSummary>,
    pub signed_in: bool,
    pub can_edit: bool,
    /// The course image's address, if it has one.
    pub image: Option<String>,
    /// S7: the reviews of the course's run listings in the catalogue.
    pub rating_avg: Option<f64>,
    pub rating_count: i64,
    /// The viewer is the course's staff (or a platform admin): links to each run's
    /// progress dashboard.
    pub staff: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LearnItem {
    pub id: i64,
    pub title: String,
    pub required: bool,
    pub done: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LearnModule {
    pub title: String,
    pub items: Vec<LearnItem>,
    pub done: bool,
    /// The badge the module awards, if it does.
    pub badge: Option<String>,
    /// Whether the viewer earned it in this run.
    pub badge_earned: bool,
}

/// `/learn/{run}`: a run's content with the viewer's progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LearnPage {
    pub run_id: i64,
    pub run_title: String,
    pub course_title: String,
    pub course_slug: String,
    pub modules: Vec<LearnModule>,
    /// Whether the viewer takes part (staff previewing have no progress).
    pub learner: bool,
    pub percent: i64,
    pub resume: Option<i64>,
    pub certificate: Option<String>,
}

/// `/learn/{run}/items/{item}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LessonPage {
    pub run_id: i64,
    pub item_id: i64,
    pub course_title: String,
    pub module_title: String,
    pub title: String,
    /// Sanitised HTML from the lesson's Markdown.
    pub body_html: String,
    pub learner: bool,
    pub done: bool,
    /// The learner marks the lesson done (the course's rule is `marked`).
    pub mark_button: bool,
    pub previous: Option<i64>,
    pub next: Option<i64>,
    pub certificate: Option<String>,
}

/// One run on "My courses".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct MyCourse {
    pub run_id: i64,
    pub course_title: String,
    pub course_slug: String,
    pub run_title: String,
    pub status: String,
    pub done: i64,
    pub total: i64,
    pub resume: Option<i64>,
    pub certificate: Option<String>,
}

/// A course the user is on the staff of, for "My courses".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct TaughtCourse {
    pub slug: String,
    pub title: String,
    /// `draft` or `published`.
    pub status: String,
    /// `teacher` or `moderator`.
    pub kind: String,
    pub organisation_name: String,
}

/// What a certificate prints, and all that its verification page shows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    pub code: String,
    pub learner_name: String,
    pub course_title: String,
    pub organisation_name: String,
    pub hours: i64,
    pub issued_on: String,
}

/// A file or image uploaded for a course's lessons (S5; seen only as S19 allows).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CourseFile {
    pub id: i64,
    /// The cleaned file name, with the extension of its type.
    pub name: String,
    pub content_type: String,
    pub size: i64,
}

impl CourseFile {
    pub fn image(&self) -> bool {
        self.content_type.starts_with("image/")
    }

    pub fn url(&self) -> String {
        file_url(self.id, &self.name)
    }

    /// The Markdown that shows the image, or links the file, in a lesson.
    pub fn snippet(&self) -> String {
        if self.image() {
            let alt = self.name.rsplit_once('.').map_or(self.name.as_str(), |(s, _)| s);
            format!("![{}]({})", alt.replace('-', " "), self.url())
        } else {
            format!("[{}]({})", self.name, self.url())
        }
    }
}

/// Where a course file is served (S19: to the course's learners and staff only).
pub fn file_url(id: i64, name: &str) -> String {
    format!("{FILES_PREFIX}{id}/{name}")
}

/// Every course file's address starts so; lesson Markdown may show images only from here.
pub use crate::ui::markdown::FILES_PREFIX;
/// The multipart field with the file, for both upload forms.
pub const FILE_FIELD: &str = "file";
/// The file types the file inputs offer; the server decides by the bytes.
pub const FILE_ACCEPT: &str = "image/jpeg,image/png,image/webp,application/pdf,text/plain,text/csv,.md,\
    .docx,.xlsx,.pptx,.odt,.ods,.odp";
pub const IMAGE_ACCEPT: &str = "image/jpeg,image/png,image/webp";

/// Multipart form post: a file for the course's lessons (with `item`, the lesson to go back to).
pub fn files_upload_path(slug: &str) -> String {
    format!("/courses/{slug}/files")
}

/// Multipart form post (the new image) and, with GET, the image itself.
pub fn image_path(slug: &str) -> String {
    format!("/courses/{slug}/image")
}

/// The course image's address; `version` (when it was set) makes a new image a new address.
pub fn course_image_url(slug: &str, version: i64) -> String {
    format!("/courses/{slug}/image?v={version}")
}

/// The messages the upload routes may send back as `?error=KEY`; nothing else from the
/// query string is ever shown.
pub const UPLOAD_ERRORS: &[Msg] = &[
    Msg::CoursesFilesErrorMissing,
    Msg::CoursesFilesErrorTooLarge,
    Msg::CoursesFilesErrorType,
    Msg::CoursesFilesErrorUnreadable,
    Msg::CoursesFilesErrorPixels,
    Msg::CoursesFilesErrorFailed,
    Msg::CoursesFilesErrorQuota,
    Msg::CoursesImageErrorType,
    Msg::CoursesImageErrorTooLarge,
];

pub fn upload_error(key: &str) -> Option<Msg> {
    UPLOAD_ERRORS.iter().copied().find(|m| m.key() == key)
}

/// A size for people: "850 KB", "2.4 MB", "1.0 GB".
pub fn human_size(bytes: i64) -> String {
    let kb = (bytes as f64 / 1024.0).max(0.0);
    if kb < 1000.0 {
        format!("{} KB", kb.ceil() as i64)
    } else if kb < 1000.0 * 1024.0 {
        format!("{:.1} MB", kb / 1024.0)
    } else {
        format!("{:.1} GB", kb / (1024.0 * 1024.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_for_people() {
        assert_eq!(human_size(2048), "2 KB");
        assert_eq!(human_size(5 * 1024 * 1024 / 2), "2.5 MB");
        assert_eq!(human_size(1024 * 1024 * 1024), "1.0 GB");
    }

    #[test]
    fn file_addresses_snippets_and_errors() {
        let img = CourseFile {
            id: 12,
            name: "lesson-plan.png".into(),
            content_type: "image/png".into(),
            size: 2048,
        };
        assert_eq!(img.url(), "/courses/files/12/lesson-plan.png");
        assert_eq!(img.snippet(), "![lesson plan](/courses/files/12/lesson-plan.png)");
        let pdf = CourseFile {
            name: "Plan.pdf".into(),
            content_type: "application/pdf".into(),
            ..img
        };
        assert_eq!(pdf.snippet(), "[Plan.pdf](/courses/files/12/Plan.pdf)");
        assert_eq!(human_size(2048), "2 KB");
        assert_eq!(human_size(1), "1 KB");
        assert_eq!(human_size(5 * 1024 * 1024 / 2), "2.5 MB");
        assert_eq!(
            upload_error("courses.files.error.type"),
            Some(Msg::CoursesFilesErrorType)
        );
        assert_eq!(upload_error("photo.error.type"), None);
        assert_eq!(upload_error("<b>"), None);
    }
}
