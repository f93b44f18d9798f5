//! The values of the bound flags: a size of memory (`--max-memory 8G`) and a duration
//! (`--max-time 5m`).

use idc_model::echo::echo;

/// Sizes of memory on the command line: a number of bytes with an optional unit (`K`, `M`,
/// `G`, `T`, binary, with or without `iB`).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits
        .parse()
        .map_err(|_| format!("'{}' is not a size (e.g. 512M, 8G)", echo(text)))?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        "T" | "TB" | "TIB" => 40,
        _ => return Err(format!("'{}' is not a size (e.g. 512M, 8G)", echo(text))),
    };
    n.checked_mul(1 << shift)
        .filter(|b| *b > 0)
        .ok_or_else(|| format!("'{}' is not a size (e.g. 512M, 8G)", echo(text)))
}

/// A duration: a whole number of seconds, minutes or hours (`90s`, `5m`, `2h`; a number
/// alone is seconds).
pub fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    let bad = || format!("'{}' is not a duration (e.g. 90s, 5m, 2h)", echo(text));
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, unit) = t.split_at(split);
    let n: u64 = digits.parse().map_err(|_| bad())?;
    let seconds: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "s" | "sec" | "secs" | "second" | "seconds" => 1,
        "m" | "min" | "mins" | "minute" | "minutes" => 60,
        "h" | "hour" | "hours" => 3600,
        _ => return Err(bad()),
    };
    n.checked_mul(seconds)
        .filter(|&s| s > 0)
        .map(std::time::Duration::from_secs)
        .ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_units() {
        assert_eq!(parse_size("512"), Ok(512));
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("8G"), Ok(8 << 30));
        assert_eq!(parse_size("8GiB"), Ok(8 << 30));
        assert!(parse_size("0").is_err());
        assert!(parse_size("eight").is_err());
        assert!(parse_size("99999999999T").is_err());
    }

    #[test]
    fn durations_parse_with_units() {
        use std::time::Duration;
        assert_eq!(parse_duration("90"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("5 min"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("2H"), Ok(Duration::from_secs(7200)));
        for bad in [
            "0",
            "0s",
            "",
            "m",
            "1.5m",
            "-3s",
            "5x",
            "99999999999999999999h",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
        assert!(parse_duration(&format!("{}h", u64::MAX / 3600 + 1)).is_err());
    }
}
