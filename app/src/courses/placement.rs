//! Putting a module or an item at a given place: what dragging (and the "move to module"
//! form) asks for. The up/down buttons swap neighbours in `db`; both check the content
//! version the page showed, so a stale page changes nothing.
use super::db::{Result, bump, item_in_course, module_in_course};
use crate::platform::Platform;
use sqlx::{Any, Transaction};

/// The tables whose rows are ordered by `position` under a parent (a closed list: names are
/// never taken from input).
#[derive(Clone, Copy)]
enum Ordered {
    Modules,
    Items,
}

impl Ordered {
    fn table(self) -> &'static str {
        match self {
            Ordered::Modules => "course_modules",
            Ordered::Items => "course_items",
        }
    }
    fn parent(self) -> &'static str {
        match self {
            Ordered::Modules => "course_id",
            Ordered::Items => "module_id",
        }
    }
}

/// `ids` in their current order under `parent`.
async fn ordered_ids(tx: &mut Transaction<'_, Any>, what: Ordered, parent: i64) -> Result<Vec<i64>> {
    let sql = format!(
        "SELECT id FROM {} WHERE {} = $1 ORDER BY position",
        what.table(),
        what.parent()
    );
    Ok(sqlx::query_scalar(&sql).bind(parent).fetch_all(&mut **tx).await?)
}

/// Gives the rows `ids` (all the rows under `parent`) the positions 1, 2, ... in that order,
/// in two statements. The unique `(parent, position)` is checked row by row, so every row
/// first moves to a negative position no other row has.
async fn renumber(tx: &mut Transaction<'_, Any>, what: Ordered, parent: i64, ids: &[i64]) -> Result<()> {
    let (table, col) = (what.table(), what.parent());
    sqlx::query(&format!(
        "UPDATE {table} SET position = -position - 1 WHERE {col} = $1 AND position >= 0"
    ))
    .bind(parent)
    .execute(&mut **tx)
    .await?;
    if ids.is_empty() {
        return Ok(());
    }
    // The ids are integers read from the database, never text from the request.
    let cases: String = ids
        .iter()
        .enumerate()
        .map(|(i, id)| format!(" WHEN {id} THEN {}", i + 1))
        .collect();
    sqlx::query(&format!(
        "UPDATE {table} SET position = CASE id{cases} END WHERE {col} = $1"
    ))
    .bind(parent)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn insert_at(mut ids: Vec<i64>, id: i64, index: i64) -> Vec<i64> {
    ids.retain(|&i| i != id);
    let at = usize::try_from(index.max(0)).unwrap_or(0).min(ids.len());
    ids.insert(at, id);
    ids
}

/// Puts a module at `index` (0-based, clamped to the list) among its course's modules.
pub async fn place_module(p: &Platform, course: i64, module: i64, index: i64, version: i64) -> Result<()> {
    let mut tx = p.db.pool.begin().await?;
    bump(&mut tx, course, Some(version), p.clock.now_ms()).await?;
    module_in_course(&mut tx, course, module).await?;
    let ids = insert_at(
        ordered_ids(&mut tx, Ordered::Modules, course).await?,
        module,
        index,
    );
    renumber(&mut tx, Ordered::Modules, course, &ids).await?;
    tx.commit().await?;
    Ok(())
}

/// Puts an item at `index` (0-based, clamped) of `module`, which may be another module of
/// the same course. Learners' progress stays with the item.
pub async fn place_item(
    p: &Platform,
    course: i64,
    item: i64,
    module: i64,
    index: i64,
    version: i64,
) -> Result<()> {
    let mut tx = p.db.pool.begin().await?;
    bump(&mut tx, course, Some(version), p.clock.now_ms()).await?;
    let (from, _, lesson) = item_in_course(&mut tx, course, item).await?;
    module_in_course(&mut tx, course, module).await?;
    let mut ids = ordered_ids(&mut tx, Ordered::Items, module).await?;
    if from != module {
        // Out of the old module (its remaining order is unchanged) to a free place in the
        // new one, then the new module is numbered afresh.
        sqlx::query("UPDATE course_items SET module_id = $2, position = -1000000 - id WHERE id = $1")
            .bind(item)
            .bind(module)
            .execute(&mut *tx)
            .await?;
        if let Some(lesson) = lesson {
            sqlx::query(
                "UPDATE lessons SET module_id = $2, \
                 position = (SELECT COALESCE(MAX(l2.position), 0) + 1 FROM lessons l2 WHERE l2.module_id = $2) \
                 WHERE id = $1",
            )
            .bind(lesson)
            .bind(module)
            .execute(&mut *tx)
            .await?;
        }
        ids.push(item);
    }
    let ids = insert_at(ids, item, index);
    renumber(&mut tx, Ordered::Items, module, &ids).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::insert_at;

    #[test]
    fn insert_at_moves_and_clamps() {
        assert_eq!(insert_at(vec![1, 2, 3], 3, 0), vec![3, 1, 2]);
        assert_eq!(insert_at(vec![1, 2, 3], 1, 2), vec![2, 3, 1]);
        assert_eq!(insert_at(vec![1, 2, 3], 1, 99), vec![2, 3, 1]);
        assert_eq!(insert_at(vec![1, 2, 3], 2, -5), vec![2, 1, 3]);
        assert_eq!(insert_at(vec![], 7, 3), vec![7]);
    }
}
