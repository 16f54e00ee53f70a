use serde::{Deserialize, Serialize};

/// Kinds of organisation (S2); their names are `org.type.<code>` in `organisations.ftl`.
pub const ORG_TYPES: &[&str] = &[
    "school",
    "higher_education",
    "training_provider",
    "public_authority",
    "ngo",
    "company",
    "other",
];

/// An organisation as shown in public lists: never its private fields (T8).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct OrganisationCard {
    pub slug: String,
    pub name: String,
    pub city: String,
    pub country: String,
    pub org_type: String,
    pub course_count: i64,
}

/// What an organisation's admins fill in (create and edit).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct OrganisationForm {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub org_type: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub city: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub country: String,
    #[serde(default)]
    pub region: String,
    /// The Erasmus+ Participant Identification Code: exactly nine digits, unique.
    #[serde(default)]
    pub pic: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub website: String,
    #[serde(default)]
    pub facebook_url: String,
    #[serde(default)]
    pub linkedin_url: String,
    /// School fields (T1), private (T8).
    #[serde(default)]
    pub official_email: String,
    #[serde(default)]
    pub head_name: String,
    #[serde(default)]
    pub head_email: String,
}

/// The school fields only platform admins and validators of the country see (T8).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganisationPrivate {
    pub official_email: String,
    pub head_name: String,
    pub head_email: String,
}

/// A member as shown on the public page (S16): never an e-mail address.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganisationMember {
    pub user_id: i64,
    pub first_name: String,
    pub last_name: String,
    pub country: String,
    /// `admin` or `member`; for join requests, `pending`.
    pub role: String,
    /// `photo_updated_at` when the user has a photo.
    pub photo_version: Option<i64>,
}

/// The public organisation page (S16), with what the viewer may do there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganisationPage {
    pub slug: String,
    pub name: String,
    pub org_type: String,
    pub address: String,
    pub city: String,
    pub postcode: String,
    pub country: String,
    pub region: String,
    pub description: String,
    pub website: String,
    pub facebook_url: String,
    pub linkedin_url: String,
    /// Only for those allowed to see it (T8).
    pub private: Option<OrganisationPrivate>,
    pub members: Vec<OrganisationMember>,
    /// Its catalogue listings (S16): published ones, and for its members also the others.
    pub listings: Vec<crate::catalogue::model::ListingCard>,
    pub viewer: Viewer,
    /// S16: the average rating of the organisation's courses, computed when asked.
    #[serde(default)]
    pub rating: crate::reviews::model::Rating,
    /// schema.org data for search engines ([`json_ld`]), made on the server.
    pub json_ld: String,
}

/// The viewer's relation to an organisation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub signed_in: bool,
    /// `admin`, `member`, `pending` (asked to join) or empty.
    pub membership: String,
    pub can_edit: bool,
    /// May publish catalogue listings for it (members, platform admins).
    pub can_publish: bool,
    /// May create a course on Agora for it (members, platform admins).
    #[serde(default)]
    pub can_create_course: bool,
}

/// The edit page: the form's current values, the members and the pending requests.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrganisationAdmin {
    pub slug: String,
    pub form: OrganisationForm,
    pub members: Vec<OrganisationMember>,
    pub requests: Vec<OrganisationMember>,
    /// Invitations sent by e-mail and not yet used or expired.
    pub invitations: Vec<PendingInvitation>,
    /// The signed-in admin, who removes others but leaves through the public page.
    pub viewer: i64,
}

/// An unused, unexpired invitation, as listed to the organisation's admins. `id` is the
/// stored hash of the link's secret (it cannot be used to accept).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingInvitation {
    pub id: String,
    pub email: String,
}

/// What an invitation link shows before it is accepted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InvitationPage {
    pub slug: String,
    pub name: String,
    pub city: String,
    pub country: String,
}

/// The translated name of an organisation type.
pub fn org_type_name(lang: crate::i18n::Lang, code: &str) -> String {
    crate::i18n::Msg::from_key(&format!("org.type.{code}"))
        .map(|m| lang.t(m).to_string())
        .unwrap_or_else(|| code.to_string())
}

/// schema.org `EducationalOrganization` data for an organisation page, as JSON safe to put
/// inside `<script type="application/ld+json">`: `<`, `>` and `&` are written as `\u003c`,
/// `\u003e`, `\u0026`, so user text cannot close the element. Public fields only.
pub fn json_ld(o: &OrganisationPage, public_url: &str) -> String {
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "EducationalOrganization",
        "name": o.name,
        "url": format!("{}/organisations/{}", public_url.trim_end_matches('/'), o.slug),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": o.address,
            "addressLocality": o.city,
            "postalCode": o.postcode,
            "addressRegion": o.region,
            "addressCountry": o.country,
        },
    });
    if !o.description.is_empty() {
        v["description"] = o.description.clone().into();
    }
    let same_as: Vec<&String> = [&o.website, &o.facebook_url, &o.linkedin_url]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if !same_as.is_empty() {
        v["sameAs"] = serde_json::json!(same_as);
    }
    if let Some(average) = o.rating.average.filter(|_| o.rating.count > 0) {
        v["aggregateRating"] = serde_json::json!({
            "@type": "AggregateRating",
            "ratingValue": (average * 100.0).round() / 100.0,
            "reviewCount": o.rating.count,
            "bestRating": 5,
            "worstRating": 1,
        });
    }
    crate::ui::escape::json_in_script(&v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> OrganisationPage {
        OrganisationPage {
            slug: "s".into(),
            name: "A & B".into(),
            org_type: "school".into(),
            address: String::new(),
            city: String::new(),
            postcode: String::new(),
            country: "DK".into(),
            region: String::new(),
            description: "</script><script>alert(1)</script>".into(),
            website: "https://a.example".into(),
            facebook_url: String::new(),
            linkedin_url: String::new(),
            private: None,
            members: vec![],
            listings: vec![],
            viewer: Viewer::default(),
            rating: Default::default(),
            json_ld: String::new(),
        }
    }

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let o = page();
        let j = json_ld(&o, "https://agora.example/");
        assert!(!j.contains('<') && !j.contains('>') && !j.contains('&'), "{j}");
        let back: serde_json::Value = serde_json::from_str(&j).unwrap();
        assert_eq!(back["description"], "</script><script>alert(1)</script>");
        assert_eq!(back["name"], "A & B");
        assert_eq!(back["url"], "https://agora.example/organisations/s");
        assert_eq!(back["sameAs"][0], "https://a.example");
        assert!(back.get("aggregateRating").is_none(), "no reviews, no rating");
    }

    #[test]
    fn s16_json_ld_has_the_aggregate_rating_when_there_are_reviews() {
        let mut o = page();
        o.rating = crate::reviews::model::Rating {
            average: Some(13.0 / 3.0),
            count: 3,
        };
        let back: serde_json::Value = serde_json::from_str(&json_ld(&o, "https://a.example")).unwrap();
        assert_eq!(back["aggregateRating"]["@type"], "AggregateRating");
        assert_eq!(back["aggregateRating"]["ratingValue"], 4.33);
        assert_eq!(back["aggregateRating"]["reviewCount"], 3);
        assert_eq!(back["aggregateRating"]["bestRating"], 5);
    }
}
