//! Addresses made from names: `nørre-skole`, then `nørre-skole-2`, ... when taken.
use sqlx::AnyConnection;

/// The tables whose rows have a unique `slug` (a closed list: table names are never
/// taken from input).
#[derive(Clone, Copy)]
pub enum SlugTable {
    Organisations,
    Courses,
    CatalogueListings,
}

impl SlugTable {
    fn used_sql(self) -> &'static str {
        match self {
            SlugTable::Organisations => "SELECT slug FROM organisations WHERE slug = $1 OR slug LIKE $2",
            SlugTable::Courses => "SELECT slug FROM courses WHERE slug = $1 OR slug LIKE $2",
            SlugTable::CatalogueListings => {
                "SELECT slug FROM catalogue_listings WHERE slug = $1 OR slug LIKE $2"
            }
        }
    }
}

/// The first free slug for `name` in `table`, never one of `reserved`: the slugs already
/// used by this name or its numbered variants come in one query. Call it inside the
/// transaction that inserts the row; the column's UNIQUE constraint settles any race.
pub async fn free_slug(
    conn: &mut AnyConnection,
    table: SlugTable,
    name: &str,
    reserved: &[&str],
) -> Result<String, sqlx::Error> {
    let base = crate::check::slug_of(name);
    let used: Vec<String> = sqlx::query_scalar(table.used_sql())
        .bind(&base)
        .bind(format!("{base}-%"))
        .fetch_all(&mut *conn)
        .await?;
    let taken = |s: &String| used.contains(s) || reserved.contains(&s.as_str());
    Ok(std::iter::once(base.clone())
        .chain((2..).map(|n| format!("{base}-{n}")))
        .find(|s| !taken(s))
        .unwrap_or(base))
}

/// Whether a write failed on a UNIQUE constraint.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error().is_some_and(|d| d.is_unique_violation())
}
