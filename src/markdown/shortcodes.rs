//! Zola-style shortcodes in markdown: `{{ name(arg="…", n=3, on=true) }}` inline and
//! `{% name(arg="…") %}body{% end %}` with a body, drawn by the Tera templates
//! `shortcodes/NAME.html` of the site or theme; `{{/* … */}}` and `{%/* … */%}` write the call
//! itself. Calls are found before the markdown is read and stand there as tokens that the
//! rendered HTML gets back; a call alone on its line is a block (no paragraph around it).
//!
//! Arguments reach the template as variables (text is escaped by the template, as any value);
//! a body is markdown, rendered and cleaned like the page, and reaches the template as `body`;
//! `page_url`, `lang`, `nth` (the how-many-th call of that shortcode on the page, from 1) and the
//! theme's words `t` are there too.

use std::ops::Range;
use std::sync::Arc;

use crate::common::diagnostics::{Diagnostic, Source};

/// The templates that draw shortcodes.
#[derive(Clone)]
pub struct Shortcodes {
    /// The theme's templates (`shortcodes/NAME.html` among them).
    pub tera: Arc<tera::Tera>,
    /// The shortcode names there are, sorted.
    pub names: Vec<String>,
    /// The theme's words (`t` in templates) in a language.
    pub words: Option<Words>,
}

/// The theme's words (`t` in templates) of a language code.
pub type Words = Arc<dyn Fn(&str) -> tera::Value + Send + Sync>;

/// Opens a shortcode token: a noncharacter contributors cannot write (the content loader
/// replaces it).
pub(super) const TOKEN_OPEN: char = '\u{FDD2}';
/// Closes a shortcode token.
pub(super) const TOKEN_CLOSE: char = '\u{FDD3}';

/// One call found in a body.
pub(super) struct Call {
    /// The shortcode's name.
    pub(super) name: String,
    /// Its arguments, as Tera values.
    pub(super) args: Vec<(String, tera::Value)>,
    /// Its body (markdown), for `{% … %}…{% end %}` calls.
    pub(super) body: Option<String>,
    /// Where the call is written in the file (bytes).
    pub(super) span: Range<usize>,
}

/// A body with its calls replaced by tokens, and how its offsets map back to the file's.
pub(super) struct Expanded<'b> {
    /// The text the markdown parser reads: the body itself when it calls no shortcode.
    pub(super) text: std::borrow::Cow<'b, str>,
    /// The calls, by token number.
    pub(super) calls: Vec<Call>,
    /// `(offset in text, offset in body)` at each place the two stop lining up, in order.
    pub(super) shifts: Vec<(usize, usize)>,
}

impl Expanded<'_> {
    /// The offset in the body of offset `at` of the expanded text.
    pub(super) fn body_offset(&self, at: usize) -> usize {
        let i = self.shifts.partition_point(|(t, _)| *t <= at);
        match i.checked_sub(1).map(|i| self.shifts[i]) {
            Some((t, b)) => b + (at - t),
            None => at,
        }
    }
}

/// Finds the calls of `body` (bytes `body_start..` of `source`), reporting malformed ones.
pub(super) fn expand<'b>(
    body: &'b str,
    body_start: usize,
    source: &Source,
    diags: &mut Vec<Diagnostic>,
) -> Expanded<'b> {
    if !body.contains("{{") && !body.contains("{%") {
        return Expanded {
            text: std::borrow::Cow::Borrowed(body),
            calls: Vec::new(),
            shifts: Vec::new(),
        };
    }
    let mut text = String::with_capacity(body.len());
    let mut calls = Vec::new();
    let mut shifts = Vec::new();
    let mut i = 0;
    let mut copied = 0;
    let bytes = body.as_bytes();
    while i + 1 < bytes.len() {
        // Bytes, not text: `i` may sit inside a multi-byte character.
        let open = match (bytes[i], bytes[i + 1]) {
            (b'{', b'{') => "{{",
            (b'{', b'%') => "{%",
            _ => {
                i += 1;
                continue;
            }
        };
        let close = if open == "{{" { "}}" } else { "%}" };
        // `{{/* … */}}`: the call as written, without the comment marks.
        if body[i + 2..].starts_with("/*")
            && let Some(end) = body[i + 4..].find(&format!("*/{close}"))
        {
            let inner = &body[i + 4..i + 4 + end];
            text.push_str(&body[copied..i]);
            text.push_str(open);
            text.push_str(inner);
            text.push_str(close);
            i += 4 + end + 4;
            copied = i;
            shifts.push((text.len(), i));
            continue;
        }
        let Some((name, args, head_len)) = parse_head(&body[i..], close) else {
            i += 2;
            continue;
        };
        let start = i;
        let mut end = i + head_len;
        let mut call_body = None;
        if open == "{%" {
            match find_end(&body[end..]) {
                Some((inner, after)) => {
                    call_body = Some(body[end..end + inner].to_string());
                    end += after;
                }
                None => {
                    diags.push(
                        Diagnostic::error(format!("shortcode `{name}` has no `{{% end %}}`"))
                            .at(
                                source,
                                body_start + start..body_start + end,
                                "opened here",
                            )
                            .help("close its body with a line `{% end %}`, or write it as {{ name(...) }} without a body"),
                    );
                    i = end;
                    continue;
                }
            }
        }
        let args = match args {
            Ok(args) => args,
            Err(why) => {
                // As in Zola, a call whose arguments are not plain values (`path=asset` in a
                // code example) stays text; say so, since it may be a mistyped call.
                diags.push(
                    Diagnostic::warning(format!(
                        "the arguments of shortcode `{name}` cannot be read, so the call is shown as written"
                    ))
                    .at(source, body_start + start..body_start + end, why)
                    .help("write arguments as name=\"text\", name=3, name=true or name=[\"a\", \"b\"]; to show a call as text write {{/* … */}}"),
                );
                i = end;
                continue;
            }
        };
        text.push_str(&body[copied..start]);
        text.push(TOKEN_OPEN);
        text.push_str(&calls.len().to_string());
        text.push(TOKEN_CLOSE);
        calls.push(Call {
            name,
            args,
            body: call_body,
            span: body_start + start..body_start + end,
        });
        i = end;
        copied = i;
        shifts.push((text.len(), i));
    }
    text.push_str(&body[copied..]);
    Expanded {
        text: std::borrow::Cow::Owned(text),
        calls,
        shifts,
    }
}

/// `{{ name(args) }}` or `{% name(args) %}` at the start of `text`: the name, the arguments (or
/// why they cannot be read) and the length of the head. `None` when it is no call (`{{ x }}`).
type Head = (String, Result<Vec<(String, tera::Value)>, String>, usize);

fn parse_head(text: &str, close: &str) -> Option<Head> {
    let rest = text[2..].trim_start();
    let name_len = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    let name = &rest[..name_len];
    if name.is_empty() || name == "end" || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let after = rest[name_len..].trim_start();
    let args_text = after.strip_prefix('(')?;
    let (args_end, args) = parse_args(args_text);
    let tail = args_text[args_end..].trim_start().strip_prefix(')')?;
    let tail_trim = tail.trim_start();
    if !tail_trim.starts_with(close) {
        return None;
    }
    let head_len = text.len() - tail_trim.len() + close.len();
    Some((name.to_string(), args, head_len))
}

/// Reads `a="x", b=2, c=true` up to the closing `)`: the offset of that `)` and the arguments.
fn parse_args(text: &str) -> (usize, Result<Vec<(String, tera::Value)>, String>) {
    let mut args = Vec::new();
    let mut i = 0;
    let b = text.as_bytes();
    let skip_ws = |i: &mut usize| {
        while *i < b.len() && (b[*i] as char).is_whitespace() {
            *i += 1;
        }
    };
    loop {
        skip_ws(&mut i);
        if i >= b.len() {
            return (i, Err("the `(` is never closed".into()));
        }
        if b[i] == b')' {
            return (i, Ok(args));
        }
        let key_start = i;
        while i < b.len() && ((b[i] as char).is_ascii_alphanumeric() || b[i] == b'_') {
            i += 1;
        }
        let key = &text[key_start..i];
        skip_ws(&mut i);
        if key.is_empty() || i >= b.len() || b[i] != b'=' {
            let end = text[i..].find(')').map_or(text.len(), |e| i + e);
            return (end, Err("an argument is not written as name=value".into()));
        }
        i += 1;
        skip_ws(&mut i);
        let value = if i < b.len() && b[i] == b'[' {
            // A list of plain values: `["a.mp4", "b.webm"]`.
            let mut items = Vec::new();
            i += 1;
            loop {
                skip_ws(&mut i);
                if i < b.len() && b[i] == b']' {
                    i += 1;
                    break;
                }
                match scalar(text, &mut i, b",]") {
                    Ok(v) => items.push(v),
                    Err(why) => {
                        let end = text[i..].find(')').map_or(text.len(), |e| i + e);
                        return (end, Err(why));
                    }
                }
                skip_ws(&mut i);
                if i < b.len() && b[i] == b',' {
                    i += 1;
                }
                if i >= b.len() {
                    return (text.len(), Err("a list `[` is never closed".into()));
                }
            }
            tera::Value::from(items)
        } else {
            match scalar(text, &mut i, b",) \t\n") {
                Ok(v) => v,
                Err(why) => {
                    let end = text[i..].find(')').map_or(text.len(), |e| i + e);
                    return (end, Err(why));
                }
            }
        };
        args.push((key.to_string(), value));
        skip_ws(&mut i);
        // Arguments are separated by commas, or (as Zola accepts) by spaces alone.
        if i < b.len() && b[i] == b',' {
            i += 1;
        }
    }
}

/// One plain value at `text[*i..]`: text in quotes (`"…"`, `'…'` or `` `…` ``), a number, true or
/// false, ending before one of `stops`; moves `*i` past it.
fn scalar(text: &str, i: &mut usize, stops: &[u8]) -> Result<tera::Value, String> {
    let b = text.as_bytes();
    if *i < b.len() && matches!(b[*i], b'"' | b'\'' | b'`') {
        let quote = b[*i] as char;
        let start = *i + 1;
        let Some(len) = text[start..].find(quote) else {
            return Err("a quoted text is never closed".into());
        };
        *i = start + len + 1;
        return Ok(tera::Value::from(&text[start..start + len]));
    }
    let start = *i;
    while *i < b.len() && !stops.contains(&b[*i]) {
        *i += 1;
    }
    let raw = text[start..*i].trim();
    match raw {
        "true" => Ok(tera::Value::from(true)),
        "false" => Ok(tera::Value::from(false)),
        _ => match (raw.parse::<i64>(), raw.parse::<f64>()) {
            (Ok(n), _) => Ok(tera::Value::from(n)),
            (_, Ok(x)) => Ok(tera::Value::from(x)),
            _ => Err(format!(
                "`{raw}` is not text in quotes, a number, true, false or a [list]"
            )),
        },
    }
}

/// The body of a `{% … %}` call and the end of its `{% end %}`: (body length, length to after
/// the end tag).
fn find_end(text: &str) -> Option<(usize, usize)> {
    let mut at = 0;
    while let Some(i) = text[at..].find("{%") {
        let start = at + i;
        let rest = text[start + 2..].trim_start();
        if let Some(after) = rest.strip_prefix("end")
            && let Some(tail) = after.trim_start().strip_prefix("%}")
        {
            return Some((start, text.len() - tail.len()));
        }
        at = start + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_arguments_bodies_and_escapes_are_read() {
        let body = "A {{ youtube(id=\"x1\", start=30, autoplay=false) }} b {{ x }} c\n{% callout(kind='tip') %}\n**Isi**\n{% end %}\nd {{/* youtube(id=\"y\") */}} e";
        let src = Source::new("content/x.md", body);
        let mut diags = Vec::new();
        let e = expand(body, 0, &src, &mut diags);
        assert!(diags.is_empty());
        assert_eq!(e.calls.len(), 2);
        assert_eq!(e.calls[0].name, "youtube");
        assert_eq!(
            e.calls[0].args[0],
            ("id".to_string(), tera::Value::from("x1"))
        );
        assert_eq!(e.calls[0].args[1].1, tera::Value::from(30));
        assert_eq!(e.calls[0].args[2].1, tera::Value::from(false));
        assert_eq!(e.calls[1].body.as_deref(), Some("\n**Isi**\n"));
        assert!(e.text.contains("{{ x }}"), "not a call: kept");
        assert!(
            e.text.ends_with("d {{ youtube(id=\"y\") }} e"),
            "{}",
            e.text
        );
        // Offsets after the calls map back to the body.
        let at = e.text.find(" e").unwrap();
        assert_eq!(e.body_offset(at), body.rfind(" e").unwrap());
        let c = e.text.find(" c").unwrap();
        assert_eq!(e.body_offset(c), body.find(" c").unwrap());
    }

    #[test]
    fn lists_spaces_between_arguments_and_other_scripts_are_read() {
        let body = "é ü {{ video(sources=[\"a.mp4\", 'b.webm'], w=640 h=480 alt=`x`) }} 日本";
        let src = Source::new("content/x.md", body);
        let mut diags = Vec::new();
        let e = expand(body, 0, &src, &mut diags);
        assert!(diags.is_empty(), "{diags:?}");
        let args = &e.calls[0].args;
        assert_eq!(args[0].1, tera::Value::from(vec!["a.mp4", "b.webm"]));
        assert_eq!(
            (args[1].1.clone(), args[2].1.clone()),
            (tera::Value::from(640), tera::Value::from(480))
        );
        assert_eq!(args[3].1, tera::Value::from("x"));
        assert!(e.text.starts_with("é ü ") && e.text.ends_with(" 日本"));
    }

    #[test]
    fn malformed_calls_are_located_errors() {
        let body = "{{ youtube(id=abc) }}\n{% callout() %}never closed";
        let src = Source::new("content/x.md", body);
        let mut diags = Vec::new();
        expand(body, 0, &src, &mut diags);
        assert_eq!(diags.len(), 2);
        assert!(
            diags[0]
                .message
                .contains("arguments of shortcode `youtube`")
        );
        assert!(diags[1].message.contains("has no `{% end %}`"));
    }
}
