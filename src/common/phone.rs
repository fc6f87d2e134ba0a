//! Telephone numbers in contributors' text turned into links readers can tap: `tel:` links, or
//! `https://wa.me/` links when the text speaks of WhatsApp and the number is an Indonesian
//! mobile number. Everything else is HTML-escaped, so the result is safe to publish.

use super::text::html_escape;

/// `text` as HTML with every telephone number linked. A number starts with `+` or `0` (not in
/// the middle of a word or another number), holds 9 to 15 digits, and may group them with
/// spaces, hyphens, dots or brackets (`0812-0000-0103`, `+62 812 0000 0103`, `(0551) 21234`).
/// National numbers (`0…`) are written in international form (`+62…`). When `text` mentions
/// WhatsApp (`WhatsApp`, `WA`), mobile numbers (`+628…`) link to `https://wa.me/628…`.
pub fn link_phone_numbers(text: &str) -> String {
    let lower = text.to_lowercase();
    let whatsapp = lower.contains("whatsapp")
        || lower
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w == "wa");
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = String::with_capacity(text.len() + 64);
    let mut plain_from = 0;
    let mut i = 0;
    while i < chars.len() {
        if let Some((end, digits)) = number_at(&chars, i) {
            let start = chars[i].0;
            let stop = chars.get(end).map_or(text.len(), |c| c.0);
            out.push_str(&html_escape(&text[plain_from..start]));
            let href = if whatsapp && digits.starts_with("628") {
                format!("https://wa.me/{digits}")
            } else {
                format!("tel:+{digits}")
            };
            out.push_str(&format!(
                "<a href=\"{href}\">{}</a>",
                html_escape(text[start..stop].trim_end())
            ));
            out.push_str(&html_escape(
                &text[start + text[start..stop].trim_end().len()..stop],
            ));
            plain_from = stop;
            i = end;
        } else {
            i += 1;
        }
    }
    out.push_str(&html_escape(&text[plain_from..]));
    out
}

/// The `https://wa.me/…` link of a telephone number written any usual way (`0812-0000-0103`,
/// `+62 812 0000 0103`); `None` when `text` is not one number.
pub fn wa_me(text: &str) -> Option<String> {
    let text = text.trim();
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let (end, digits) = number_at(&chars, 0)?;
    (end == chars.len()).then(|| format!("https://wa.me/{digits}"))
}

/// The telephone number starting at `chars[i]`: the index after it and its digits in
/// international form (without `+`).
fn number_at(chars: &[(usize, char)], i: usize) -> Option<(usize, String)> {
    let first = chars[i].1;
    let before = i.checked_sub(1).map(|k| chars[k].1);
    if before.is_some_and(|c| c.is_alphanumeric() || c == '+') {
        return None;
    }
    let international = first == '+';
    if !(international || first == '0' || first == '(') {
        return None;
    }
    let mut digits = String::new();
    let mut j = i + usize::from(international);
    let mut last_digit_end = j;
    while j < chars.len() {
        let c = chars[j].1;
        if c.is_ascii_digit() {
            digits.push(c);
            last_digit_end = j + 1;
        } else if matches!(c, ' ' | '-' | '.' | '(' | ')') {
            // A separator only when a digit follows (after at most one more separator).
            let next = chars.get(j + 1).map(|c| c.1);
            let after = chars.get(j + 2).map(|c| c.1);
            if !(next.is_some_and(|n| n.is_ascii_digit())
                || (next.is_some_and(|n| matches!(n, ' ' | '(' | ')'))
                    && after.is_some_and(|a| a.is_ascii_digit())))
            {
                break;
            }
        } else {
            break;
        }
        j += 1;
    }
    // Not the start of a longer word (a code like `0812abc`).
    if chars
        .get(last_digit_end)
        .is_some_and(|c| c.1.is_alphanumeric())
    {
        return None;
    }
    if !(9..=15).contains(&digits.len()) {
        return None;
    }
    let digits = if international {
        digits
    } else if let Some(rest) = digits.strip_prefix('0') {
        format!("62{rest}")
    } else {
        return None;
    };
    Some((last_digit_end, digits))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whatsapp_numbers_link_to_wa_me_and_others_to_tel() {
        assert_eq!(
            link_phone_numbers("Kirim WhatsApp ke 0812-0000-0103 berisi nama."),
            "Kirim WhatsApp ke <a href=\"https://wa.me/6281200000103\">0812-0000-0103</a> berisi nama."
        );
        assert_eq!(
            link_phone_numbers("Telepon kantor (0551) 21234 atau +62 812 0000 0107."),
            "Telepon kantor <a href=\"tel:+6255121234\">(0551) 21234</a> atau <a href=\"tel:+6281200000107\">+62 812 0000 0107</a>."
        );
        assert_eq!(
            link_phone_numbers("WA: 081200000103"),
            "WA: <a href=\"https://wa.me/6281200000103\">081200000103</a>"
        );
    }

    #[test]
    fn other_numbers_and_markup_stay_text() {
        // Money, dates, years and codes are not telephone numbers; markup is escaped.
        assert_eq!(
            link_phone_numbers("Biaya Rp 25.000, 14-03-2026, kode A0812000001 <b>x</b>"),
            "Biaya Rp 25.000, 14-03-2026, kode A0812000001 &lt;b&gt;x&lt;/b&gt;"
        );
        assert_eq!(link_phone_numbers("0812"), "0812");
        assert_eq!(link_phone_numbers(""), "");
    }

    proptest::proptest! {
        /// Whatever a contributor writes, the only markup out is our own links.
        #[test]
        fn only_our_links_are_markup(
            text in "(WhatsApp |WA |<b>|\"|&|0812-0000-0103|\\+62 812 0000 0107|[a-z0-9 .()<>-]|\\PC){0,16}"
        ) {
            let out = link_phone_numbers(&text);
            for (i, _) in out.match_indices('<') {
                let rest = &out[i..];
                proptest::prop_assert!(
                    rest.starts_with("<a href=\"https://wa.me/")
                        || rest.starts_with("<a href=\"tel:+")
                        || rest.starts_with("</a>"),
                    "{out}"
                );
            }
        }
    }
}
