//! Calendar dates as editors write them (`2019-05-10`) and the business-day
//! arithmetic of the legal answer deadline. No time zones, no clock: a date
//! is a day, and nothing here knows what day it is today.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A day of the proleptic Gregorian calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub(crate) struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// Reads `yyyy-mm-dd` (ISO 8601), and nothing else: `10/05/2019` reads
    /// as 10 May in Chile and 5 October elsewhere, so it is refused.
    pub(crate) fn parse(text: &str) -> Option<Date> {
        let t = text.trim();
        let b = t.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| {
            let s = t.get(r)?;
            s.bytes().all(|c| c.is_ascii_digit()).then(|| s.parse::<u32>().ok()).flatten()
        };
        let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
        let month = u8::try_from(month).ok().filter(|m| (1..=12).contains(m))?;
        let year = i32::try_from(year).ok()?;
        let day = u8::try_from(day).ok().filter(|d| *d >= 1 && *d <= days_in_month(year, month))?;
        Some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (Howard Hinnant's `days_from_civil`).
    fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The inverse of [`Date::days`].
    fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = (if mp < 10 { mp + 3 } else { mp - 9 }) as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Monday is 0, Sunday 6.
    pub(crate) fn weekday(self) -> u8 {
        // 1970-01-01 was a Thursday (3).
        ((self.days() + 3).rem_euclid(7)) as u8
    }

    fn is_business_day(self, holidays: &[Date]) -> bool {
        self.weekday() < 5 && !holidays.contains(&self)
    }

    /// The day `n` business days after `self` (weekends and `holidays`
    /// skipped; the day itself does not count).
    pub(crate) fn add_business_days(self, n: u32, holidays: &[Date]) -> Date {
        let mut day = self.days();
        let mut left = n;
        while left > 0 {
            day += 1;
            if Date::from_days(day).is_business_day(holidays) {
                left -= 1;
            }
        }
        Date::from_days(day)
    }

    /// The date as a reader of `language` (a BCP 47 tag) writes it:
    /// "2 de abril de 2019", or "2 April 2019".
    pub(crate) fn long(self, language: &str) -> String {
        const ES: [&str; 12] = [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ];
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let i = usize::from(self.month.saturating_sub(1)).min(11);
        if language.to_ascii_lowercase().starts_with("en") {
            format!("{} {} {}", self.day, EN[i], self.year)
        } else {
            format!("{} de {} de {}", self.day, ES[i], self.year)
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Date {
        Date::parse(text).expect(text)
    }

    #[test]
    fn only_real_iso_dates_are_read() {
        assert_eq!(Date::parse("2019-05-10"), Some(Date { year: 2019, month: 5, day: 10 }));
        assert_eq!(Date::parse("2020-02-29").map(|x| x.day), Some(29));
        for bad in ["2019-02-29", "10/05/2019", "2019-5-10", "2019-13-01", "2019-00-10", "mayo", "", "2019-05-1x"] {
            assert_eq!(Date::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn days_round_trip_and_weekdays_are_right() {
        for text in ["1970-01-01", "2000-02-29", "2018-12-31", "2019-05-10", "2100-03-01"] {
            assert_eq!(Date::from_days(d(text).days()), d(text));
        }
        assert_eq!(d("2019-05-10").weekday(), 4, "a Friday");
        assert_eq!(d("2018-09-18").weekday(), 1, "a Tuesday");
    }

    #[test]
    fn business_days_skip_weekends_and_listed_holidays() {
        // Friday + 1 business day is Monday.
        assert_eq!(d("2019-05-10").add_business_days(1, &[]), d("2019-05-13"));
        // 45 business days are nine weeks when no holiday falls in them.
        assert_eq!(d("2019-03-04").add_business_days(45, &[]), d("2019-05-06"));
        // A holiday on Monday moves the deadline to Tuesday.
        assert_eq!(d("2019-05-10").add_business_days(1, &[d("2019-05-13")]), d("2019-05-14"));
        assert_eq!(d("2019-05-10").add_business_days(0, &[]), d("2019-05-10"));
    }

    #[test]
    fn long_dates_follow_the_language() {
        assert_eq!(d("2019-04-02").long("es-CL"), "2 de abril de 2019");
        assert_eq!(d("2019-04-02").long("en-GB"), "2 April 2019");
    }
}
