//! Index stage: dates. Civil-date arithmetic (no clock in output), and "last updated" times from
//! one `git log` pass over the whole site.

use std::collections::HashMap;
use std::path::Path;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number, as `YYYY-MM-DD`.
pub fn format_days(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Day number of a date written `YYYY-MM-DD` (anything after the date, like a time, is ignored);
/// `None` for a day the calendar does not have (`2024-13-45`, `2026-02-31`).
pub fn parse_date(text: &str) -> Option<i64> {
    let date = text.trim().get(..10)?;
    let mut parts = date.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let d: u32 = parts.next()?.parse().ok()?;
    let days = ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| days_from_civil(y, m, d))?;
    // Round trip: 2026-02-31 would otherwise become 2026-03-03.
    (format_days(days) == date).then_some(days)
}

/// Last commit time (unix seconds) of every file under `content/`, keyed by its path from the
/// site root (`content/x.md`). Empty outside a git work tree or without git.
pub fn git_last_updated(root: &Path) -> HashMap<String, i64> {
    let output = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["log", "--relative", "--name-only", "--format=%x00%ct", "--", "content"])
        .stderr(std::process::Stdio::null())
        .output();
    match output {
        Ok(output) if output.status.success() => parse_git_log(&String::from_utf8_lossy(&output.stdout)),
        _ => HashMap::new(),
    }
}

/// Newest commit first: the first time a path appears is its last change.
fn parse_git_log(log: &str) -> HashMap<String, i64> {
    let mut dates = HashMap::new();
    for commit in log.split('\0').filter(|c| !c.trim().is_empty()) {
        let mut lines = commit.lines();
        let Some(time) = lines.next().and_then(|t| t.trim().parse::<i64>().ok()) else { continue };
        for path in lines.map(str::trim).filter(|l| !l.is_empty()) {
            dates.entry(path.to_string()).or_insert(time);
        }
    }
    dates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_the_calendar_lacks_are_refused() {
        assert_eq!(parse_date("2026-02-28"), Some(days_from_civil(2026, 2, 28)));
        assert_eq!(parse_date("2024-02-29T10:00:00Z"), Some(days_from_civil(2024, 2, 29)));
        for bad in ["2026-02-31", "2024-13-45", "2023-02-29", "2024-00-10", "26-1-1", "soon"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn civil_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(format_days(days_from_civil(2026, 11, 22)), "2026-11-22");
        assert_eq!(format_days(days_from_civil(2024, 2, 29)), "2024-02-29");
        assert_eq!(parse_date("2026-05-01T10:00:00Z"), Some(days_from_civil(2026, 5, 1)));
        assert_eq!(parse_date("May 1st"), None);
        assert_eq!(parse_date("2026-13-01"), None);
    }

    #[test]
    fn git_log_newest_commit_wins() {
        let log = "\u{0}200\n\ncontent/a.md\n\u{0}100\n\ncontent/a.md\ncontent/b.md\n";
        let dates = parse_git_log(log);
        assert_eq!(dates["content/a.md"], 200);
        assert_eq!(dates["content/b.md"], 100);
    }
}
