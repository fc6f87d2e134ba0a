//! A shown photo's `<img>` becomes a `<picture>`: WebP widths for browsers that read WebP,
//! the fallback's widths for the others, `sizes` for the theme's column, `width`/`height` so
//! nothing moves while it loads, and `loading="lazy"` unless it is on the first screen.

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

use super::{Photo, PhotoIndex};

/// How wide a photo is shown: the theme's column (46rem less 1rem padding on each side), or
/// the screen less the padding.
pub const SIZES: &str = "(min-width: 46rem) 44rem, calc(100vw - 2rem)";

/// Characters of text before a photo, at most, for it to count as on the first screen of a
/// 360 px phone (about 15 lines under the page's title).
pub const FIRST_SCREEN_CHARS: usize = 600;

/// Characters escaped in addresses written into `srcset` (spaces and commas separate its
/// candidates) and attributes.
const IN_SRCSET: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'\'')
    .add(b',')
    .add(b'<')
    .add(b'>')
    .add(b'%')
    .add(b'#')
    .add(b'?');

fn address(path: &str) -> String {
    utf8_percent_encode(path, IN_SRCSET).to_string()
}

/// What [`rewrite`] did to a piece of HTML.
#[derive(Debug, Default, Clone)]
pub struct Rewritten {
    /// The HTML with photos as `<picture>`.
    pub html: String,
    /// Site paths of the photos shown, in order.
    pub shown: Vec<String>,
    /// The photo loaded eagerly (on the first screen), if any.
    pub eager: Option<String>,
}

/// One attribute of a tag as written: name (lower case) and the whole `name="value"` text.
struct Attr<'a> {
    name: String,
    value: Option<String>,
    text: &'a str,
}

/// Reads the attributes of the tag starting at `html[start..]` (at `<img`); returns them and
/// the index just past the tag's `>`.
fn read_tag(html: &str, start: usize) -> Option<(Vec<Attr<'_>>, usize)> {
    let b = html.as_bytes();
    let mut i = start + 4;
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        if b[i] == b'>' {
            return Some((attrs, i + 1));
        }
        let from = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = html[from..i].to_ascii_lowercase();
        let mut value = None;
        if i < b.len() && b[i] == b'=' {
            i += 1;
            let q = *b.get(i)?;
            if q == b'"' || q == b'\'' {
                let end = html[i + 1..].find(q as char)? + i + 1;
                value = Some(html[i + 1..end].to_string());
                i = end + 1;
            } else {
                let v0 = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                value = Some(html[v0..i].to_string());
            }
        }
        attrs.push(Attr {
            name,
            value,
            text: &html[from..i],
        });
    }
}

/// `&amp;` and the other references an attribute value may hold, decoded.
fn unescape(v: &str) -> String {
    v.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Turns every `<img>` of `html` whose `src` is a photo of `index` into a `<picture>`. With
/// `eager_first`, the first photo is loaded eagerly when fewer than [`FIRST_SCREEN_CHARS`]
/// characters of text come before it; every other photo is `loading="lazy"`. `None` when
/// `html` shows no photo.
pub fn rewrite(
    html: &str,
    index: &PhotoIndex,
    eager_first: bool,
    page_url: &str,
) -> Option<Rewritten> {
    if index.photos.is_empty() || !html.contains("<img") {
        return None;
    }
    let mut out = Rewritten {
        html: String::with_capacity(html.len() + 512),
        ..Rewritten::default()
    };
    let mut text_before = 0usize;
    let mut in_tag = false;
    let mut copied = 0;
    let mut i = 0;
    while let Some(rel) = html[i..].find('<') {
        let at = i + rel;
        // Text between tags counts towards the first screen.
        if !in_tag {
            text_before += html[i..at].chars().filter(|c| !c.is_whitespace()).count();
        }
        in_tag = false;
        if !html[at..].starts_with("<img") {
            let end = html[at..].find('>').map_or(html.len(), |e| at + e + 1);
            i = end;
            continue;
        }
        let Some((attrs, end)) = read_tag(html, at) else {
            break;
        };
        let src = attrs
            .iter()
            .find(|a| a.name == "src")
            .and_then(|a| a.value.as_deref())
            .map(|v| {
                let v = unescape(v);
                let path = v.split(['?', '#']).next().unwrap_or("").trim().to_string();
                let path = percent_decode_str(&path).decode_utf8_lossy().into_owned();
                // `foto.jpg`, `./foto.jpg`, `../a/foto.jpg` are beside the page; `/x/../y` tidied.
                if path.starts_with('/') {
                    if path.contains("/.") {
                        crate::markdown::normalise(&path)
                    } else {
                        path
                    }
                } else if path.contains(':') || path.is_empty() {
                    path
                } else {
                    crate::markdown::normalise(&format!("{page_url}{path}"))
                }
            });
        if let Some(photo) = src.as_deref().and_then(|s| index.photos.get(s)) {
            let eager = eager_first && out.shown.is_empty() && text_before < FIRST_SCREEN_CHARS;
            out.html.push_str(&html[copied..at]);
            out.html.push_str(&picture(photo, &attrs, eager));
            copied = end;
            out.shown.push(photo.url.clone());
            if eager {
                out.eager = Some(photo.url.clone());
            }
        }
        i = end;
    }
    if out.shown.is_empty() {
        return None;
    }
    out.html.push_str(&html[copied..]);
    Some(out)
}

fn srcset(photo: &Photo, webp: bool) -> String {
    photo
        .variants
        .iter()
        .map(|v| {
            let url = if webp { &v.webp } else { &v.fallback };
            format!("{} {}w", address(url), v.width)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `<picture>` for `photo`, keeping the `<img>`'s own attributes (alt, title, class)
/// except those the picture sets.
fn picture(photo: &Photo, attrs: &[Attr<'_>], eager: bool) -> String {
    let largest = photo.largest();
    let mut img = format!(
        "<img src=\"{}\" srcset=\"{}\" sizes=\"{SIZES}\" width=\"{}\" height=\"{}\"",
        address(&photo.phone_variant().fallback),
        srcset(photo, false),
        largest.width,
        largest.height
    );
    for a in attrs {
        if !matches!(
            a.name.as_str(),
            "src"
                | "srcset"
                | "sizes"
                | "width"
                | "height"
                | "loading"
                | "decoding"
                | "fetchpriority"
        ) {
            img.push(' ');
            img.push_str(a.text);
        }
    }
    if eager {
        img.push_str(" decoding=\"async\" fetchpriority=\"high\">");
    } else {
        img.push_str(" loading=\"lazy\" decoding=\"async\">");
    }
    format!(
        "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{SIZES}\">{img}</picture>",
        srcset(photo, true)
    )
}

#[cfg(test)]
mod tests {
    use super::super::{Fallback, Variant};
    use super::*;

    fn index() -> PhotoIndex {
        let photo = Photo {
            source: "content/tips/x/jemur kering.jpg".into(),
            url: "/tips/x/jemur kering.jpg".into(),
            size: (4000, 3000),
            key: 1,
            fallback: Fallback::Jpeg,
            variants: [360, 720, 1080]
                .iter()
                .map(|&w| Variant {
                    width: w,
                    height: w * 3 / 4,
                    webp: format!("/tips/x/jemur kering-{w}w.webp"),
                    fallback: if w == 1080 {
                        "/tips/x/jemur kering.jpg".into()
                    } else {
                        format!("/tips/x/jemur kering-{w}w.jpg")
                    },
                })
                .collect(),
        };
        PhotoIndex {
            photos: [(photo.url.clone(), photo)].into(),
        }
    }

    #[test]
    fn a_shown_photo_becomes_a_picture_with_widths_sizes_and_its_size() {
        let html = "<h2>Cara</h2><p>Jemur di para-para.</p><p><img src=\"/tips/x/jemur%20kering.jpg\" alt=\"Rumput &quot;laut&quot;\" title=\"t\" width=\"9\"></p><p><img src=\"/tips/x/jemur%20kering.jpg\" alt=\"lagi\" /></p><img src=\"/lain.gif\" alt=\"g\">";
        let r = rewrite(html, &index(), true, "/tips/x/").unwrap();
        assert_eq!(r.shown.len(), 2);
        assert_eq!(r.eager.as_deref(), Some("/tips/x/jemur kering.jpg"));
        assert!(r.html.contains("<picture><source type=\"image/webp\" srcset=\"/tips/x/jemur%20kering-360w.webp 360w, /tips/x/jemur%20kering-720w.webp 720w, /tips/x/jemur%20kering-1080w.webp 1080w\" sizes=\"(min-width: 46rem) 44rem, calc(100vw - 2rem)\"><img src=\"/tips/x/jemur%20kering-720w.jpg\" srcset=\"/tips/x/jemur%20kering-360w.jpg 360w, /tips/x/jemur%20kering-720w.jpg 720w, /tips/x/jemur%20kering.jpg 1080w\""), "{}", r.html);
        assert!(r.html.contains("width=\"1080\" height=\"810\" alt=\"Rumput &quot;laut&quot;\" title=\"t\" decoding=\"async\" fetchpriority=\"high\"></picture>"), "{}", r.html);
        assert!(
            r.html
                .contains("alt=\"lagi\" loading=\"lazy\" decoding=\"async\"></picture>"),
            "{}",
            r.html
        );
        assert!(r.html.ends_with("<img src=\"/lain.gif\" alt=\"g\">"));
        assert!(!r.html.contains("width=\"9\""));
    }

    #[test]
    fn a_photo_after_a_screenful_of_text_or_in_a_summary_is_lazy() {
        let long = format!(
            "<p>{}</p><img src=\"/tips/x/jemur%20kering.jpg\" alt=\"a\">",
            "kata ".repeat(200)
        );
        let r = rewrite(&long, &index(), true, "/tips/x/").unwrap();
        assert!(r.eager.is_none() && r.html.contains("loading=\"lazy\""));
        let short = "<img src=\"/tips/x/jemur%20kering.jpg\" alt=\"a\">";
        let r = rewrite(short, &index(), false, "/tips/x/").unwrap();
        assert!(r.eager.is_none() && r.html.contains("loading=\"lazy\""));
        assert!(rewrite("<p>no photo</p>", &index(), true, "/tips/x/").is_none());
        // Relative and untidy addresses of the same photo.
        for src in [
            "jemur%20kering.jpg",
            "./jemur%20kering.jpg",
            "../x/jemur%20kering.jpg",
            "/tips/y/../x/jemur%20kering.jpg",
        ] {
            let html = format!("<img src=\"{src}\" alt=\"a\">");
            assert!(
                rewrite(&html, &index(), false, "/tips/x/").is_some(),
                "{src}"
            );
        }
    }
}
