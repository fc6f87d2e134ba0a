//! The typed kinds of content — tip, workshop, story — and the validation of their own fields.

use jiff::Timestamp;
use serde::Serialize;

use super::fields::Fields;

mod story;
mod workshop;

pub use workshop::is_email;

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
                "venue_map",
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
    /// `venue_map`, optional: a map of the venue (an `https://` address).
    pub venue_map: Option<String>,
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
        Kind::Workshop => workshop::read(f).map(Typed::Workshop),
        Kind::Story => story::read(f).map(Typed::Story),
    }
}
