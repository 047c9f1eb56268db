//! Dates as Excel stores them: serial numbers of days in its 1900 date system.

/// The serial number Excel stores for a date in its 1900 date system: days since 1899-12-31,
/// counting the 1900-02-29 that Excel (after Lotus 1-2-3) believes in. `None` for a date
/// before 1900 or after 9999, which Excel cannot show, and for one no calendar has. A time
/// of day adds its fraction of a day.
pub fn date_serial(year: u16, month: u8, day: u8) -> Option<f64> {
    if !(1900..=9999).contains(&year) || !(1..=12).contains(&month) {
        return None;
    }
    if (year, month, day) == (1900, 2, 29) {
        return Some(60.0);
    }
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let month_days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if day == 0 || day > month_days[usize::from(month - 1)] {
        return None;
    }
    let days = days_from_civil(year.into(), month.into(), day.into()) - days_from_civil(1899, 12, 30);
    // Before the day Excel invented, its serials count from one day later.
    let before_invented_day = (year, month) < (1900, 3);
    Some((days - i64::from(before_invented_day)) as f64)
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}
