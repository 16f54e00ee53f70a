use serde::{Deserialize, Serialize};

/// The longest review, reply or report reason, in characters.
pub const MAX_REVIEW_CHARS: usize = 5_000;
pub const MAX_REASON_CHARS: usize = 1_000;
/// Reviews on one page of a listing's or an organisation's list.
pub const REVIEWS_PER_PAGE: i64 = 10;

/// An average of 1–5 stars and how many reviews it is made of; `average` is `None` when
/// there are none. Always computed from the reviews, never stored (S16).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    pub average: Option<f64>,
    pub count: i64,
}

/// A review as shown in public (S18): the author's name and never their e-mail address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Review {
    pub id: i64,
    pub author_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub stars: i64,
    /// Rendered and sanitised on the server.
    pub body_html: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub reply_html: Option<String>,
    pub replied_at: Option<i64>,
}

/// A review on the organisation page (S16), with the course it is about.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganisationReview {
    pub listing_slug: String,
    pub listing_title: String,
    pub review: Review,
}

/// The viewer's own review of a listing, for the edit form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OwnReview {
    pub id: i64,
    pub stars: i64,
    pub body: String,
}

/// What the viewer may do with a listing's reviews.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReviewViewer {
    pub signed_in: bool,
    pub user_id: Option<i64>,
    /// May write (or edit) a review.
    pub can_review: bool,
    /// A member of the organisation offering the course, so may not review it.
    pub own_organisation: bool,
    /// An admin of that organisation, so may reply.
    pub can_reply: bool,
    pub own: Option<OwnReview>,
}

/// One page of a published course listing's reviews with its rating.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ListingReviewsPage {
    pub slug: String,
    pub title: String,
    pub rating: Rating,
    pub reviews: Vec<Review>,
    pub page: i64,
    pub per_page: i64,
    pub viewer: ReviewViewer,
}

/// One page of the reviews of an organisation's courses (S16).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganisationReviewsPage {
    pub rating: Rating,
    pub reviews: Vec<OrganisationReview>,
    pub page: i64,
    pub per_page: i64,
}

/// A reported review as the platform admins see it, with every open report's reason.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReportedReview {
    pub listing_slug: String,
    pub listing_title: String,
    pub review: Review,
    pub reasons: Vec<String>,
    pub first_reported_at: i64,
}

/// The number of pages for `count` items.
pub fn last_page(count: i64, per_page: i64) -> i64 {
    (count.max(1) - 1) / per_page.max(1)
}

/// An average with one decimal, in the reader's convention (`4.5`, `4,5`).
pub fn format_average(lang: crate::i18n::Lang, average: f64) -> String {
    let s = format!("{:.1}", average);
    if lang.code() == "en" {
        s
    } else {
        s.replace('.', ",")
    }
}

/// `YYYY-MM-DD` (UTC) of a time in milliseconds since the epoch.
pub fn date_of(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The listing pages that forms may return to: the listing page itself or the page of its
/// reviews and comments, with the given anchor. Anything else falls back to the listing.
pub fn back_to(slug: &str, back: &str, query: &str, anchor: &str) -> String {
    let listing = format!("/catalogue/{slug}");
    let path = back.split(['?', '#']).next().unwrap_or("");
    let path = if path == listing || path == format!("{listing}/reviews") {
        path.to_string()
    } else {
        listing
    };
    let query = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    format!("{path}{query}#{anchor}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_milliseconds() {
        assert_eq!(date_of(0), "1970-01-01");
        assert_eq!(date_of(951_782_400_000), "2000-02-29");
        assert_eq!(date_of(1_767_225_599_000), "2025-12-31");
    }

    #[test]
    fn averages_in_the_readers_convention() {
        use crate::i18n::Lang;
        let en = Lang::from_code("en").unwrap();
        let da = Lang::from_code("da").unwrap();
        assert_eq!(format_average(en, 4.25), "4.2");
        assert_eq!(format_average(en, 5.0), "5.0");
        assert_eq!(format_average(da, 3.5), "3,5");
    }

    #[test]
    fn forms_return_only_to_the_listings_pages() {
        assert_eq!(
            back_to("a", "/catalogue/a", "", "reviews"),
            "/catalogue/a#reviews"
        );
        assert_eq!(
            back_to("a", "/catalogue/a/reviews?x=1", "comments_page=2", "c-3"),
            "/catalogue/a/reviews?comments_page=2#c-3"
        );
        for bad in [
            "https://evil.example/catalogue/a",
            "//evil.example",
            "/catalogue/b",
            "",
            "/catalogue/a/edit",
        ] {
            assert_eq!(back_to("a", bad, "", "reviews"), "/catalogue/a#reviews", "{bad}");
        }
        assert_eq!(last_page(0, 10), 0);
        assert_eq!(last_page(10, 10), 0);
        assert_eq!(last_page(11, 10), 1);
    }
}
