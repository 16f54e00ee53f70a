//! Catalogue types shared by the pages, the server functions and the JSON API.
use serde::{Deserialize, Serialize};

/// The three kinds of listing; names are `catalogue.kind.<code>`.
pub const KINDS: &[&str] = &["course", "mobility", "partnership"];
/// How a course or mobility takes place; names are `catalogue.mode.<code>`.
pub const MODES: &[&str] = &["online", "onsite", "blended"];
/// Kinds of mobility opportunity; names are `catalogue.mobility_type.<code>`.
pub const MOBILITY_TYPES: &[&str] = &["job_shadowing", "teaching_assignment"];
/// A listing's life: only `published` ones are public.
pub const STATUSES: &[&str] = &["draft", "published", "withdrawn"];

/// The path segment of a kind's public catalogue page (`/catalogue/<segment>`).
pub fn kind_segment(kind: &str) -> &'static str {
    match kind {
        "course" => "courses",
        "mobility" => "mobility",
        _ => "partnerships",
    }
}

/// The kind of a catalogue page's path segment.
pub fn kind_of_segment(segment: &str) -> Option<&'static str> {
    match segment {
        "courses" => Some("course"),
        "mobility" => Some("mobility"),
        "partnerships" => Some("partnership"),
        _ => None,
    }
}

/// What a member fills in for a listing, and what the JSON API sends: every field is text
/// (so a form and a JSON body share it, and `places` or a date that is not one is a field
/// error rather than a decoding failure). Fields of the other kinds are ignored.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ListingForm {
    /// `course`, `mobility` or `partnership`; fixed once the listing exists.
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    /// One or two sentences for lists.
    #[serde(default)]
    pub summary: String,
    /// Markdown, rendered and sanitised on the server.
    #[serde(default)]
    pub description: String,
    /// ISO 639-1 code from `taxonomy::LANGUAGES`.
    #[serde(default)]
    pub language: String,
    /// Country code from `taxonomy::COUNTRIES`.
    #[serde(default)]
    pub country: String,
    /// Town or venue; not needed online.
    #[serde(default)]
    pub place: String,
    /// One of [`MODES`].
    #[serde(default)]
    pub mode: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    /// The last day the listing is shown in the catalogue (optional).
    #[serde(default)]
    pub expires_on: String,
    /// Course: fee as written (e.g. "450 EUR", "free").
    #[serde(default)]
    pub fee: String,
    /// Course: who it is for.
    #[serde(default)]
    pub target_audience: String,
    /// Mobility: one of [`MOBILITY_TYPES`].
    #[serde(default)]
    pub mobility_type: String,
    /// Mobility: the hosting school or organisation.
    #[serde(default)]
    pub host: String,
    /// Mobility: number of places, a positive integer (optional).
    #[serde(default)]
    pub places: String,
    /// Partnership: the project idea.
    #[serde(default)]
    pub project_idea: String,
    /// Partnership: what partners are sought.
    #[serde(default)]
    pub partners_sought: String,
    /// Partnership: the answer-by date, `YYYY-MM-DD`.
    #[serde(default)]
    pub deadline_on: String,
    /// Subject codes from `taxonomy::SUBJECTS`.
    #[serde(default)]
    pub subjects: Vec<String>,
    /// The organisation's own id for the listing (for the API); unique per organisation.
    #[serde(default)]
    pub external_id: String,
}

/// A listing in a list: the catalogue, an organisation's page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListingCard {
    pub slug: String,
    pub kind: String,
    pub title: String,
    pub summary: String,
    pub organisation_name: String,
    pub organisation_slug: String,
    pub country: String,
    pub place: String,
    pub mode: String,
    pub language: String,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub deadline_on: Option<String>,
    pub status: String,
    /// Published but past its expiry date (see the module documentation).
    pub expired: bool,
    /// Average stars of the listing's reviews, computed in SQL; `None` without reviews.
    pub rating_avg: Option<f64>,
    pub rating_count: i64,
    /// For the listing of an Agora course run: the course's slug (`/courses/{slug}`).
    pub course_slug: Option<String>,
}

/// The catalogue's filters and sorting, as in the page's query string. Empty means "any".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogueQuery {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub subject: String,
    /// Listings starting on or after this date.
    #[serde(default)]
    pub from: String,
    /// Listings starting on or before this date.
    #[serde(default)]
    pub until: String,
    #[serde(default)]
    pub mode: String,
    /// An organisation's slug, or part of its name.
    #[serde(default)]
    pub org: String,
    /// One of [`SORTS`]; `newest` when empty or unknown.
    #[serde(default)]
    pub sort: String,
    /// 1-based.
    #[serde(default)]
    pub page: i64,
}

impl CatalogueQuery {
    /// Issue 13: every filter text has a length limit, checked before the database.
    #[cfg(feature = "ssr")]
    pub fn check(&self) -> Result<(), crate::error::AppError> {
        crate::check::search_fields(&[
            ("kind", &self.kind),
            ("country", &self.country),
            ("language", &self.language),
            ("subject", &self.subject),
            ("from", &self.from),
            ("until", &self.until),
            ("mode", &self.mode),
            ("org", &self.org),
            ("sort", &self.sort),
        ])
    }
}

/// Orders of the catalogue; names are `catalogue.sort.<code>`. `rating` only for courses.
pub const SORTS: &[&str] = &["newest", "starts", "title", "rating"];

/// Listings per catalogue page.
pub const PAGE_SIZE: i64 = 20;

/// One page of the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CataloguePage {
    pub cards: Vec<ListingCard>,
    pub total: i64,
    pub page: i64,
    pub page_size: i64,
}

/// A listing's public page (and its edit page's data).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListingPage {
    pub slug: String,
    pub status: String,
    pub expired: bool,
    pub organisation_name: String,
    pub organisation_slug: String,
    pub form: ListingForm,
    /// The description rendered and sanitised on the server.
    pub description_html: String,
    pub rating_avg: Option<f64>,
    pub rating_count: i64,
    /// The absolute public address of the page, for `<link rel="canonical">`.
    pub canonical_url: String,
    /// schema.org `Course` data (course listings only), safe inside a script element.
    pub json_ld: Option<String>,
    /// Whether the viewer may edit, publish or withdraw it.
    pub can_edit: bool,
    /// For the listing of an Agora course run: the course's slug (`/courses/{slug}`),
    /// where it is changed and where learners enrol.
    pub course_slug: Option<String>,
}

/// schema.org `Course` data for a course listing, as JSON safe inside
/// `<script type="application/ld+json">` (`<`, `>`, `&` escaped, as for organisations).
pub fn course_json_ld(p: &ListingPage, public_url: &str) -> String {
    let f = &p.form;
    let base = public_url.trim_end_matches('/');
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Course",
        "name": f.title,
        "url": format!("{base}/catalogue/{}", p.slug),
        "inLanguage": f.language,
        "provider": {
            "@type": "EducationalOrganization",
            "name": p.organisation_name,
            "url": format!("{base}/organisations/{}", p.organisation_slug),
        },
    });
    let description = if f.summary.is_empty() {
        &f.description
    } else {
        &f.summary
    };
    if !description.is_empty() {
        v["description"] = description.clone().into();
    }
    let mut instance = serde_json::json!({
        "@type": "CourseInstance",
        "courseMode": f.mode,
    });
    if !f.starts_on.is_empty() {
        instance["startDate"] = f.starts_on.clone().into();
    }
    if !f.ends_on.is_empty() {
        instance["endDate"] = f.ends_on.clone().into();
    }
    if f.mode != "online" {
        instance["location"] = serde_json::json!({
            "@type": "Place",
            "name": f.place,
            "address": { "@type": "PostalAddress", "addressCountry": f.country },
        });
    }
    v["hasCourseInstance"] = instance;
    if p.rating_count > 0 {
        v["aggregateRating"] = serde_json::json!({
            "@type": "AggregateRating",
            "ratingValue": p.rating_avg.unwrap_or_default(),
            "ratingCount": p.rating_count,
        });
    }
    crate::ui::escape::json_in_script(&v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s18_course_json_ld_cannot_close_its_script_element() {
        let p = ListingPage {
            slug: "c".into(),
            status: "published".into(),
            expired: false,
            organisation_name: "A & B".into(),
            organisation_slug: "a-b".into(),
            form: ListingForm {
                kind: "course".into(),
                title: "</script><script>alert(1)</script>".into(),
                mode: "onsite".into(),
                starts_on: "2030-01-02".into(),
                ..Default::default()
            },
            description_html: String::new(),
            rating_avg: Some(4.5),
            rating_count: 2,
            canonical_url: String::new(),
            json_ld: None,
            can_edit: false,
            course_slug: None,
        };
        let j = course_json_ld(&p, "https://agora.example/");
        assert!(!j.contains('<') && !j.contains('>') && !j.contains('&'), "{j}");
        let back: serde_json::Value = serde_json::from_str(&j).unwrap();
        assert_eq!(back["@type"], "Course");
        assert_eq!(back["name"], "</script><script>alert(1)</script>");
        assert_eq!(back["provider"]["name"], "A & B");
        assert_eq!(back["url"], "https://agora.example/catalogue/c");
        assert_eq!(back["hasCourseInstance"]["startDate"], "2030-01-02");
        assert_eq!(back["aggregateRating"]["ratingCount"], 2);
    }

    #[test]
    fn kinds_and_page_segments_match() {
        for k in KINDS {
            assert_eq!(kind_of_segment(kind_segment(k)), Some(*k));
        }
    }
}
