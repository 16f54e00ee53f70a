//! CSV exports of a run for its staff (S12): the progress table and the participant list.
//! RFC 4180 (CRLF, fields with a comma, quote or line break quoted, quotes doubled), UTF-8
//! with a byte-order mark so spreadsheet programs read æ, ø, å and ä right. A cell that a
//! spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage
//! return) gets a leading apostrophe: a learner named `=HYPERLINK(…)` stays text.
//!
//! No e-mail addresses: T8 says other users never see a user's address, and course staff
//! are other users (see docs/PRIVACY.md). A deactivated learner's row keeps its numbers
//! under a neutral label instead of the name (T7).
use super::model::{LearnerRow, ModuleHead};
use crate::i18n::{Lang, Msg, fill};

pub const BOM: &str = "\u{feff}";

/// One cell: guarded against formulas, quoted when needed.
pub fn cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if guarded.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn line(out: &mut String, cells: &[String]) {
    let mut first = true;
    for c in cells {
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(&cell(c));
    }
    out.push_str("\r\n");
}

pub fn status_name(lang: Lang, status: &str) -> &'static str {
    lang.t(match status {
        "active" => Msg::CourseStaffStatusActive,
        "waiting" => Msg::CourseStaffStatusWaiting,
        "removed" => Msg::CourseStaffStatusRemoved,
        _ => Msg::CourseStaffStatusLeft,
    })
}

pub fn state_name(lang: Lang, state: &str) -> &'static str {
    lang.t(match state {
        "completed" => Msg::CourseStaffStateCompleted,
        "in_progress" => Msg::CourseStaffStateInProgress,
        _ => Msg::CourseStaffStateNotStarted,
    })
}

/// The progress table as shown (filtered, every page): per module the required items done.
pub fn progress(lang: Lang, modules: &[ModuleHead], rows: &[LearnerRow]) -> String {
    let mut out = String::from(BOM);
    let mut head: Vec<String> = vec![
        lang.t(Msg::CourseStaffColName).into(),
        lang.t(Msg::CourseStaffColEnrolment).into(),
        lang.t(Msg::CourseStaffColEnrolledOn).into(),
    ];
    for m in modules {
        head.push(fill(
            lang.t(Msg::CourseStaffCsvModule),
            &[("module", &m.title), ("total", &m.required.to_string())],
        ));
    }
    head.extend([
        lang.t(Msg::CourseStaffColDone).to_string(),
        lang.t(Msg::CourseStaffColRequired).to_string(),
        lang.t(Msg::CourseStaffColPercent).to_string(),
        lang.t(Msg::CourseStaffColState).to_string(),
        lang.t(Msg::CourseStaffColByStaff).to_string(),
        lang.t(Msg::CourseStaffColLastActive).to_string(),
        lang.t(Msg::CourseStaffColDays).to_string(),
    ]);
    line(&mut out, &head);
    for r in rows {
        let mut cells = vec![
            r.label(lang),
            status_name(lang, &r.status).to_string(),
            r.enrolled_on.clone(),
        ];
        cells.extend(r.modules.iter().map(|c| c.done.to_string()));
        cells.extend([
            r.done.to_string(),
            r.total.to_string(),
            r.percent().to_string(),
            state_name(lang, r.state()).to_string(),
            r.by_staff.to_string(),
            r.last_active.clone(),
            r.days.to_string(),
        ]);
        line(&mut out, &cells);
    }
    out
}

/// Everyone who was ever in the run, with their enrolment and a summary of their progress.
pub fn participants(lang: Lang, rows: &[LearnerRow]) -> String {
    let mut out = String::from(BOM);
    line(
        &mut out,
        &[
            lang.t(Msg::CourseStaffColName).into(),
            lang.t(Msg::CourseStaffColEnrolment).into(),
            lang.t(Msg::CourseStaffColEnrolledOn).into(),
            lang.t(Msg::CourseStaffColEndedOn).into(),
            lang.t(Msg::CourseStaffColPercent).into(),
            lang.t(Msg::CourseStaffColLastActive).into(),
            lang.t(Msg::CourseStaffColDays).into(),
            lang.t(Msg::CourseStaffColCertificate).into(),
        ],
    );
    for r in rows {
        line(
            &mut out,
            &[
                r.label(lang),
                status_name(lang, &r.status).into(),
                r.enrolled_on.clone(),
                r.ended_on.clone(),
                r.percent().to_string(),
                r.last_active.clone(),
                r.days.to_string(),
                lang.t(if r.certificate {
                    Msg::CourseStaffYes
                } else {
                    Msg::CourseStaffNo
                })
                .into(),
            ],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_follows_rfc_4180() {
        assert_eq!(cell("Ida Holm"), "Ida Holm");
        assert_eq!(cell("Holm, Ida"), "\"Holm, Ida\"");
        assert_eq!(cell("Ida \"the\" Holm"), "\"Ida \"\"the\"\" Holm\"");
        assert_eq!(cell("two\nlines"), "\"two\nlines\"");
        assert_eq!(cell(""), "");
        let mut out = String::new();
        line(&mut out, &["a".into(), "b,c".into(), String::new()]);
        assert_eq!(out, "a,\"b,c\",\r\n");
    }

    #[test]
    fn formulas_become_text() {
        for bad in ["=1+1", "+45 1234", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(cell(bad).trim_start_matches('"').starts_with('\''), "{bad:?}");
        }
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("2026-03-01"), "2026-03-01");
        assert_eq!(cell("Åse"), "Åse");
    }
}
