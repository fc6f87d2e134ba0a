//! The typed kinds of content — tip, workshop, story — and the validation of their own fields.

use jiff::Timestamp;
use serde::Serialize;
use toml::Value;

use super::fields::Fields;

/// What a page is; a section's `kind` gives the kind of its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A plain page with only the common fields (the default).
    #[default]
    Page,
    /// A practical tip with a `topic` and an optional `season`.
    Tip,
    /// A workshop: times, venue, kelurahan, organiser, seats, cost and how to register.
    Workshop,
    /// A success story of a group: sector, kecamatan, sales channels and before/after figures.
    Story,
}

impl Kind {
    /// The kind named `s` in front matter (`page`, `tip`, `workshop` or `story`). Returns None
    /// for any other name.
    pub fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "page" => Kind::Page,
            "tip" => Kind::Tip,
            "workshop" => Kind::Workshop,
            "story" => Kind::Story,
            _ => return None,
        })
    }

    /// The kind's name as written in front matter; also the name of its page template
    /// (`tip.html`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Page => "page",
            Kind::Tip => "tip",
            Kind::Workshop => "workshop",
            Kind::Story => "story",
        }
    }

    /// Front-matter keys this kind adds to the common ones.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            Kind::Page => &[],
            Kind::Tip => &["topic", "season"],
            Kind::Workshop => &[
                "start",
                "end",
                "venue",
                "kelurahan",
                "organiser",
                "organiser_email",
                "capacity",
                "cost",
                "register",
                "register_url",
            ],
            Kind::Story => &["group", "sector", "kecamatan", "channels", "changes"],
        }
    }
}

/// The checked fields of a page's kind.
#[derive(Debug, Clone)]
pub enum Typed {
    /// A plain page: no fields of its own.
    Page,
    /// The fields of a tip.
    Tip(Tip),
    /// The fields of a workshop.
    Workshop(Workshop),
    /// The fields of a success story.
    Story(Story),
}

impl Typed {
    /// The value of a single-text field of the kind (`topic`, `season`, `sector`,
    /// `kecamatan`, `kelurahan`), for taxonomies that take their terms from it.
    pub fn field(&self, name: &str) -> Option<&str> {
        match (self, name) {
            (Typed::Tip(t), "topic") => Some(&t.topic),
            (Typed::Tip(t), "season") => t.season.as_deref(),
            (Typed::Workshop(w), "kecamatan") => Some(&w.kecamatan),
            (Typed::Workshop(w), "kelurahan") => Some(&w.kelurahan),
            (Typed::Story(s), "kecamatan") => Some(&s.kecamatan),
            (Typed::Story(s), "sector") => Some(&s.sector),
            _ => None,
        }
    }
}

/// The fields of a tip (`kind = "tip"`).
#[derive(Debug, Clone)]
pub struct Tip {
    /// Key of the tip's entry in the `topic` vocabulary, e.g. `pertanian`.
    pub topic: String,
    /// Key of an entry in the `season` vocabulary, e.g. `hujan`; None when left out.
    pub season: Option<String>,
}

/// The fields of a workshop (`kind = "workshop"`).
#[derive(Debug, Clone)]
pub struct Workshop {
    /// When the workshop begins; a time written without an offset is in the configured time
    /// zone.
    pub start: Timestamp,
    /// When the workshop ends; always after `start`.
    pub end: Timestamp,
    /// Where it is held, e.g. a kelurahan office hall; never blank.
    pub venue: String,
    /// The kelurahan of the venue as written, one of the configured places (compared ignoring
    /// ASCII case).
    pub kelurahan: String,
    /// The kecamatan the kelurahan lies in, found in the configured places rather than written.
    pub kecamatan: String,
    /// Who runs the workshop; never blank.
    pub organiser: String,
    /// The organiser's e-mail address, for calendar files (checked to be an address).
    pub organiser_email: Option<String>,
    /// Count of seats, from 1 to 1,000,000.
    pub capacity: u32,
    /// Rupiah; 0 is free.
    pub cost: i64,
    /// How to register, as text shown to readers; never blank.
    pub register: String,
    /// A link to register: a web address, `mailto:`, `tel:`, `whatsapp:` or a path of this
    /// site; None when left out.
    pub register_url: Option<String>,
}

/// The fields of a success story (`kind = "story"`).
#[derive(Debug, Clone)]
pub struct Story {
    /// Name of the group or KUB the story is about; never blank.
    pub group: String,
    /// Key of the group's entry in the `sector` vocabulary, e.g. `rumput-laut`.
    pub sector: String,
    /// The kecamatan where the group works, one of the configured places.
    pub kecamatan: String,
    /// Sales channels the group uses, e.g. `WhatsApp Business`; empty when left out.
    pub channels: Vec<String>,
    /// Before/after figures in the order written; empty when left out.
    pub changes: Vec<Change>,
}

/// A before/after figure of a success story.
#[derive(Debug, Clone)]
pub struct Change {
    /// What was measured, e.g. `Omzet per bulan`.
    pub label: String,
    /// The figure before, in `unit` (e.g. rupiah when `unit` is `Rp`).
    pub before: f64,
    /// The figure after, in `unit` (e.g. rupiah when `unit` is `Rp`).
    pub after: f64,
    /// Unit of `before` and `after` as shown to readers, e.g. `Rp`; empty when left out.
    pub unit: String,
}

/// Reads and checks the fields of `kind`; `None` when one of them is wrong (errors are in `f`).
pub fn read(kind: Kind, f: &mut Fields) -> Option<Typed> {
    match kind {
        Kind::Page => Some(Typed::Page),
        Kind::Tip => {
            let topic = f.choice("topic", "topic", true);
            let season = f.choice("season", "season", false);
            Some(Typed::Tip(Tip {
                topic: topic?,
                season,
            }))
        }
        Kind::Workshop => read_workshop(f).map(Typed::Workshop),
        Kind::Story => read_story(f).map(Typed::Story),
    }
}

fn read_workshop(f: &mut Fields) -> Option<Workshop> {
    let (start, end) = workshop_times(f);
    let venue = f.required_string(
        "venue",
        "the place",
        "venue = \"Aula Kantor Kelurahan Pantai Amal\"",
    );
    let (kelurahan, kecamatan) = workshop_place(f);
    let organiser = f.required_string(
        "organiser",
        "who runs it",
        "organiser = \"Dinas Kominfo Kota Tarakan\"",
    );
    let organiser_email = organiser_email(f);
    let capacity = capacity(f);
    let cost = cost(f);
    let register = f.required_string(
        "register",
        "how to register",
        "register = \"Daftar lewat WhatsApp 0812-0000-0000\"",
    );
    let register_url = register_url(f);
    Some(Workshop {
        start: start?,
        end: end?,
        venue: venue?,
        kelurahan: kelurahan?,
        kecamatan: kecamatan?,
        organiser: organiser?,
        organiser_email,
        capacity: capacity?,
        cost: cost?,
        register: register?,
        register_url,
    })
}

/// `start` and `end`, each required; `end` must come after `start`.
fn workshop_times(f: &mut Fields) -> (Option<Timestamp>, Option<Timestamp>) {
    let has_start = f.fm.table.contains_key("start");
    let has_end = f.fm.table.contains_key("end");
    let start = f.date("start");
    let end = f.date("end");
    if !has_start {
        f.missing(
            "start",
            "when the workshop begins, local time",
            "start = 2026-03-14T09:00",
        );
    }
    if !has_end {
        f.missing(
            "end",
            "when the workshop ends, local time",
            "end = 2026-03-14T12:00",
        );
    }
    if let (Some(s), Some(e)) = (start, end)
        && e <= s
    {
        let span = f.span("end");
        let start_text =
            f.fm.locate_key(f.source, None, "start")
                .map(|k| f.source.text[k.value].trim_matches('"').to_string())
                .unwrap_or_default();
        f.error_at(
            span,
            if e == s {
                "the workshop ends when it starts".into()
            } else {
                "the workshop ends before it starts".into()
            },
            format!("`end` must be after `start` ({start_text})"),
            format!(
                "write the date and hour it ends, after the start, e.g. end = {}; {}",
                (s + jiff::SignedDuration::from_hours(2))
                    .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::Offset::constant(
                        f.config.timezone.offset_hours
                    )))
                    .strftime("%Y-%m-%dT%H:%M"),
                super::fields::DATE_FORMATS
            ),
        );
    }
    (start, end)
}

/// `kelurahan`, required and known to the configured places, and the kecamatan it lies in.
fn workshop_place(f: &mut Fields) -> (Option<String>, Option<String>) {
    let kelurahan = f.required_string(
        "kelurahan",
        "the kelurahan of the venue",
        "kelurahan = \"Pantai Amal\"",
    );
    let kecamatan = kelurahan.as_ref().and_then(|k| {
        let found = f.config.kecamatan_of(k).map(str::to_string);
        if found.is_none() {
            let span = f.span("kelurahan");
            let all: Vec<&str> = f
                .config
                .places
                .values()
                .flatten()
                .map(String::as_str)
                .collect();
            f.error_at(
                span,
                format!("unknown kelurahan `{k}`"),
                "not a kelurahan of this city".into(),
                format!("use one of: {}", all.join(", ")),
            );
        }
        found
    });
    (kelurahan, kecamatan)
}

/// `organiser_email`, optional, a plain e-mail address.
fn organiser_email(f: &mut Fields) -> Option<String> {
    f.string("organiser_email").filter(|e| {
        let ok = is_email(e);
        if !ok {
            let span = f.span("organiser_email");
            f.error_at(
                span,
                format!(
                    "`organiser_email` `{}` is not an e-mail address",
                    e.escape_debug()
                ),
                "expected name@domain".into(),
                "write it like organiser_email = \"kominfo@tarakankota.go.id\", or remove it"
                    .into(),
            );
        }
        ok
    })
}

/// `capacity`, required: a whole number of seats, written without words.
fn capacity(f: &mut Fields) -> Option<u32> {
    let capacity_text = match f.fm.table.get("capacity") {
        Some(Value::String(t)) => Some(t.clone()),
        _ => None,
    };
    if let Some(t) = capacity_text {
        // `capacity = "20 orang"`: the number is there, in words.
        let digits: String = t.chars().filter(char::is_ascii_digit).collect();
        let example = if digits.is_empty() {
            "40".to_string()
        } else {
            digits
        };
        f.take("capacity");
        let span = f.span("capacity");
        f.error_at(
            span,
            "`capacity` must be a number".into(),
            "text, not a number of seats".into(),
            format!(
                "write only the number of seats, without quotes or words: capacity = {example}"
            ),
        );
    }
    match f.integer("capacity", "capacity = 40") {
        Some(c) if c > 0 && c <= 1_000_000 => Some(c as u32),
        Some(c) => {
            let span = f.span("capacity");
            f.error_at(
                span,
                if c > 0 {
                    "`capacity` is more seats than any venue has".into()
                } else {
                    "`capacity` must be at least 1".into()
                },
                "not a number of seats".into(),
                "write the number of seats, e.g. capacity = 40".into(),
            );
            None
        }
        None => {
            if !f.fm.table.contains_key("capacity") {
                f.missing("capacity", "number of seats", "capacity = 40");
            }
            None
        }
    }
}

/// `cost` in rupiah, optional (free when left out), never negative.
fn cost(f: &mut Fields) -> Option<i64> {
    match f.integer("cost", "cost = 25000") {
        Some(c) if c < 0 => {
            let span = f.span("cost");
            f.error_at(
                span,
                "`cost` cannot be negative".into(),
                "a negative price".into(),
                "write the price in rupiah, or 0 when it is free".into(),
            );
            None
        }
        Some(c) => Some(c),
        None if f.fm.table.contains_key("cost") => None,
        None => Some(0),
    }
}

/// `register_url`, optional: a web address, `mailto:`, `tel:` or a path of this site.
fn register_url(f: &mut Fields) -> Option<String> {
    f.string("register_url").filter(|url| {
        let problem = crate::sanitize::url_problem("a", "href", url).or_else(|| {
            let allowed = ["https://", "http://", "mailto:", "tel:", "whatsapp:"]
                .iter()
                .any(|p| url.starts_with(p))
                || (url.starts_with('/') && !url.starts_with("//"));
            (!allowed)
            .then_some("a registration link is a web address (https://...), mailto:, tel: or a path of this site")
        });
        if let Some(why) = problem {
            let span = f.span("register_url");
            f.error_at(
                span,
                "`register_url` cannot be used as a link".into(),
                why.into(),
                "write it like register_url = \"https://wa.me/6281200000000\" or \"https://forms.gle/...\"".into(),
            );
        }
        problem.is_none()
    })
}

/// True for a plain e-mail address `local@domain.tld` (no display name, no comments): what a
/// calendar's `mailto:` needs.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && domain.len() <= 253
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}

fn read_story(f: &mut Fields) -> Option<Story> {
    let group = f.required_string(
        "group",
        "the group or KUB name",
        "group = \"KUB Mawar Laut\"",
    );
    let sector = f.choice("sector", "sector", true);
    let kecamatan = f.required_string(
        "kecamatan",
        "where the group works",
        "kecamatan = \"Tarakan Timur\"",
    );
    let kecamatan = kecamatan.and_then(|k| {
        if f.config.places.contains_key(&k) {
            return Some(k);
        }
        let span = f.span("kecamatan");
        let all: Vec<&str> = f.config.places.keys().map(String::as_str).collect();
        f.error_at(
            span,
            format!("unknown kecamatan `{k}`"),
            "not a kecamatan of this city".into(),
            format!("use one of: {}", all.join(", ")),
        );
        None
    });
    let channels = f.strings("channels").unwrap_or_default();
    let changes = match f.take("changes") {
        None => Some(Vec::new()),
        Some(Value::Array(items)) => items.into_iter().map(|item| read_change(f, item)).collect(),
        Some(_) => {
            let span = f.span("changes");
            f.error_at(
                span,
                "`changes` has the wrong type".into(),
                "expected [[changes]] tables".into(),
                CHANGE_EXAMPLE.into(),
            );
            None
        }
    };
    Some(Story {
        group: group?,
        sector: sector?,
        kecamatan: kecamatan?,
        channels,
        changes: changes?,
    })
}

const CHANGE_EXAMPLE: &str = "write each figure as\n[[changes]]\nlabel = \"Omzet per bulan\"\nbefore = 3000000\nafter = 7500000\nunit = \"Rp\"";

fn read_change(f: &mut Fields, item: Value) -> Option<Change> {
    let span = f.fm.locate(f.source, None, "[[changes]]");
    let span = if span.is_empty() {
        f.fm.locate_key(f.source, None, "label")
            .map_or(span, |s| s.key)
    } else {
        span
    };
    let Value::Table(mut t) = item else {
        f.error_at(
            span,
            "a `changes` entry is not a table".into(),
            "expected label, before, after, unit".into(),
            CHANGE_EXAMPLE.into(),
        );
        return None;
    };
    let label = match t.remove("label") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s),
        _ => {
            f.error_at(
                span.clone(),
                "a `changes` entry needs a `label`".into(),
                "label missing or not text".into(),
                CHANGE_EXAMPLE.into(),
            );
            None
        }
    };
    let before = t
        .remove("before")
        .and_then(|v| f.number_value(v, "before", "before = 3000000"));
    let after = t
        .remove("after")
        .and_then(|v| f.number_value(v, "after", "after = 7500000"));
    if before.is_none() || after.is_none() {
        f.error_at(
            span,
            "a `changes` entry needs numbers `before` and `after`".into(),
            "before or after missing".into(),
            CHANGE_EXAMPLE.into(),
        );
    }
    let unit = match t.remove("unit") {
        Some(Value::String(s)) => s,
        _ => String::new(),
    };
    Some(Change {
        label: label?,
        before: before?,
        after: after?,
        unit,
    })
}
