//! Wave labels: reading a label as a time (year, quarter, half, month, date) to check that
//! `waves` lists them in time order, and writing a list of labels as TOML for a fix.

/// `["a", "b"]`, as TOML.
pub(super) fn toml_list(items: &[&String]) -> String {
    let quoted: Vec<String> = items.iter().map(|w| format!("{w:?}")).collect();
    format!("[{}]", quoted.join(", "))
}

/// The time a wave label stands for, as (year, period within the year), when it reads as one:
/// `2024`, `2024-03`, `2024-03-15`, `2024/03`, `03/2024`, quarters `Q1 2024`, `2024Q1`,
/// `2024-Q1`, `Q12024`, and halves `H1 2024`, `2024S2`. `None` for other labels.
pub fn wave_time(label: &str) -> Option<(i32, u32)> {
    let t: String = label
        .trim()
        .to_ascii_uppercase()
        .chars()
        .filter(|c| !matches!(c, ' ' | '_'))
        .collect();
    let year = |y: &str| {
        (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            .then(|| y.parse::<i32>().ok())
            .flatten()
    };
    let small = |p: &str, max: u32| {
        (!p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
            .filter(|v| (1..=max).contains(v))
    };
    if let Some(y) = year(&t) {
        return Some((y, 0));
    }
    // A quarter or half: the letter, its number and the year in either order.
    for (letter, max, scale) in [('Q', 4, 3), ('H', 2, 6), ('S', 2, 6)] {
        let parts: Vec<&str> = t.split(['-', '/']).filter(|p| !p.is_empty()).collect();
        let joined = parts.concat();
        if let Some(rest) = joined.strip_prefix(letter)
            && rest.len() == 5
            && let (Some(p), Some(y)) = (small(&rest[..1], max), year(&rest[1..]))
        {
            return Some((y, ((p - 1) * scale + 1) * 100));
        }
        if let Some(at) = joined.find(letter)
            && at == 4
            && let (Some(y), Some(p)) = (year(&joined[..4]), small(&joined[5..], max))
        {
            return Some((y, ((p - 1) * scale + 1) * 100));
        }
    }
    // Year-month(-day), or month/year.
    let parts: Vec<&str> = t.split(['-', '/', '.']).collect();
    match parts.as_slice() {
        [y, m] | [y, m, _] if year(y).is_some() => {
            let day = match parts.get(2) {
                Some(d) => small(d, 31)?,
                None => 0,
            };
            Some((year(y)?, small(m, 12)? * 100 + day))
        }
        [m, y] if year(y).is_some() => Some((year(y)?, small(m, 12)? * 100)),
        _ => None,
    }
}
