//! Index stage: dates. Civil-date arithmetic (no clock in output), and "last updated" times from
//! one `git log` pass over the whole site.

use std::collections::HashMap;
use std::path::Path;

/// Julian day number of 1970-01-01: day numbers here count from it.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

/// Days since 1970-01-01 of a calendar date (a test and scaffold helper; `m` and `d` must exist).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let month = time::Month::try_from(m as u8).expect("a month 1-12");
    let date = time::Date::from_calendar_date(y as i32, month, d as u8).expect("a day of that month");
    i64::from(date.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY
}

/// The date of a day number, as `YYYY-MM-DD`.
pub fn format_days(days: i64) -> String {
    let date = i32::try_from(days + UNIX_EPOCH_JULIAN_DAY).ok().and_then(|d| time::Date::from_julian_day(d).ok());
    match date {
        Some(date) => date.format(time::macros::format_description!("[year]-[month]-[day]")).unwrap_or_default(),
        None => String::from("0000-01-01"),
    }
}

/// Day number of a date written `YYYY-MM-DD` (anything after the date, like a time, is ignored);
/// `None` for text that is not such a date or a day the calendar lacks (`2024-13-45`,
/// `2026-02-31`: `time` refuses both, where arithmetic would roll over to March).
pub fn parse_date(text: &str) -> Option<i64> {
    let date = text.trim().get(..10)?;
    let parsed = time::Date::parse(date, time::macros::format_description!("[year]-[month]-[day]")).ok()?;
    Some(i64::from(parsed.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY)
}

/// `SOURCE_DATE_EPOCH`, read and checked in this one place: `None` when unset, an error naming
/// the variable when it is not a whole number of seconds.
pub fn source_date_epoch() -> crate::Result<Option<i64>> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Err(_) => Ok(None),
        Ok(v) if v.trim().is_empty() => Ok(None),
        Ok(v) => v
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| crate::Error::Usage(format!("SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not `{v}`"))),
    }
}

/// Today's day number: `epoch` (from `SOURCE_DATE_EPOCH`) when given, else the clock.
pub fn today(epoch: Option<i64>) -> i64 {
    let seconds =
        epoch.unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64));
    seconds.div_euclid(86_400)
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
