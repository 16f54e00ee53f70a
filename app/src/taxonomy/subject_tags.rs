//! Subject tags platform admins add to the built-in list (T12). The forms and pages that
//! offer or show subjects read them synchronously, so each process keeps the current list:
//! the server loads it from `subject_tags` at start, after every change, and every minute
//! (other instances' changes); the browser gets the same list in the page's head
//! (`<script type="application/json" id="agora-subject-tags">`) before it hydrates, so
//! both render identical options.
use crate::i18n::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::sync::{Mutex, RwLock};

/// The id of the element that carries the list to the browser.
pub const ELEMENT_ID: &str = "agora-subject-tags";

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectTag {
    pub code: String,
    pub en: String,
    pub da: String,
    pub sv: String,
}

impl SubjectTag {
    pub fn label(&self, lang: Lang) -> &str {
        match lang {
            Lang::Da => &self.da,
            Lang::Sv => &self.sv,
            _ => &self.en,
        }
    }
}

static TAGS: RwLock<Vec<(&'static str, SubjectTag)>> = RwLock::new(Vec::new());
/// Codes handed out as `&'static str` (the option lists take those). A code is kept once
/// for the life of the process; codes are few and never change.
static INTERNED: Mutex<BTreeSet<&'static str>> = Mutex::new(BTreeSet::new());

fn intern(code: &str) -> &'static str {
    let mut set = INTERNED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(c) = set.get(code) {
        return c;
    }
    let leaked: &'static str = Box::leak(code.to_string().into_boxed_str());
    set.insert(leaked);
    leaked
}

/// Replaces this process's list.
pub fn install(tags: Vec<SubjectTag>) {
    let list = tags.into_iter().map(|t| (intern(&t.code), t)).collect();
    *TAGS.write().unwrap_or_else(|e| e.into_inner()) = list;
}

/// The added tags, in the order they were added.
pub fn all() -> Vec<SubjectTag> {
    TAGS.read()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .map(|(_, t)| t.clone())
        .collect()
}

/// The added tags' codes.
pub fn codes() -> Vec<&'static str> {
    TAGS.read()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .map(|(c, _)| *c)
        .collect()
}

/// The label of an added tag in `lang`.
pub fn label(lang: Lang, code: &str) -> Option<String> {
    TAGS.read()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, t)| t.label(lang).to_string())
}

/// The list as JSON for the page's head; `<` is escaped so the text cannot end its element.
pub fn to_json() -> String {
    crate::ui::escape::json_in_script(&serde_json::to_string(&all()).unwrap_or_else(|_| "[]".into()))
}

/// Reads the list the server put in the page (before hydration).
#[cfg(feature = "hydrate")]
pub fn install_from_page() {
    let text = leptos::prelude::document()
        .get_element_by_id(ELEMENT_ID)
        .and_then(|e| e.text_content())
        .unwrap_or_default();
    if let Ok(tags) = serde_json::from_str::<Vec<SubjectTag>>(&text) {
        install(tags);
    }
}

#[cfg(feature = "ssr")]
pub mod db {
    use super::SubjectTag;
    use crate::platform::{AuditEntry, Db, Platform, audit};
    use sqlx::Row;

    /// Loads the list from the database into this process.
    pub async fn reload(db: &Db) -> Result<(), sqlx::Error> {
        let rows = sqlx::query("SELECT code, label_en, label_da, label_sv FROM subject_tags ORDER BY id")
            .fetch_all(&db.pool)
            .await?;
        super::install(
            rows.iter()
                .map(|r| SubjectTag {
                    code: r.get(0),
                    en: r.get(1),
                    da: r.get(2),
                    sv: r.get(3),
                })
                .collect(),
        );
        Ok(())
    }

    pub enum SaveError {
        /// The code (from the English name) is taken by a built-in or an added subject.
        Taken,
        NotFound,
        Db(sqlx::Error),
    }

    impl From<sqlx::Error> for SaveError {
        fn from(e: sqlx::Error) -> Self {
            SaveError::Db(e)
        }
    }

    /// Adds a tag (audited) and reloads the list.
    pub async fn add(p: &Platform, by: i64, tag: &SubjectTag) -> Result<(), SaveError> {
        if crate::taxonomy::SUBJECTS.contains(&tag.code.as_str()) {
            return Err(SaveError::Taken);
        }
        let mut tx = p.db.pool.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO subject_tags (code, label_en, label_da, label_sv, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING",
        )
        .bind(&tag.code)
        .bind(&tag.en)
        .bind(&tag.da)
        .bind(&tag.sv)
        .bind(by)
        .bind(p.clock.now_ms())
        .execute(&mut *tx)
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(SaveError::Taken);
        }
        audit(
            &mut *tx,
            &AuditEntry {
                at: p.clock.now_ms(),
                actor: Some(by),
                action: "subject_tag_add",
                subject: format!("subject_tag:{}", tag.code),
                detail: format!("{} / {} / {}", tag.en, tag.da, tag.sv),
            },
        )
        .await?;
        tx.commit().await?;
        reload(&p.db).await?;
        Ok(())
    }

    /// Changes an added tag's names (its code stays, so everything tagged keeps it).
    pub async fn rename(p: &Platform, by: i64, tag: &SubjectTag) -> Result<(), SaveError> {
        let mut tx = p.db.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE subject_tags SET label_en = $2, label_da = $3, label_sv = $4 WHERE code = $1",
        )
        .bind(&tag.code)
        .bind(&tag.en)
        .bind(&tag.da)
        .bind(&tag.sv)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(SaveError::NotFound);
        }
        audit(
            &mut *tx,
            &AuditEntry {
                at: p.clock.now_ms(),
                actor: Some(by),
                action: "subject_tag_rename",
                subject: format!("subject_tag:{}", tag.code),
                detail: format!("{} / {} / {}", tag.en, tag.da, tag.sv),
            },
        )
        .await?;
        tx.commit().await?;
        reload(&p.db).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_by_language_and_json_cannot_end_the_element() {
        install(vec![SubjectTag {
            code: "outdoor_education".into(),
            en: "Outdoor education </script>".into(),
            da: "Udeskole".into(),
            sv: "Utomhuspedagogik".into(),
        }]);
        assert_eq!(codes(), vec!["outdoor_education"]);
        assert_eq!(label(Lang::Da, "outdoor_education").as_deref(), Some("Udeskole"));
        assert_eq!(
            label(Lang::Sv, "outdoor_education").as_deref(),
            Some("Utomhuspedagogik")
        );
        assert_eq!(label(Lang::En, "nothing"), None);
        let json = to_json();
        assert!(!json.contains('<'), "{json}");
        let back: Vec<SubjectTag> = serde_json::from_str(&json).unwrap();
        assert_eq!(back[0].en, "Outdoor education </script>");
        // Installing again keeps one interned code.
        install(all());
        assert!(std::ptr::eq(codes()[0], intern("outdoor_education")));
    }
}
