//! Linking what was read: URLs of pages and sections, the section tree (each page in its
//! nearest section, each section under its nearest parent), listing order, and where files
//! beside pages are published. Two files with one address are found where their outputs meet
//! (`Site::collision`), at the `slug` or `path` that made them meet.

use std::collections::HashMap;

use super::file::{ancestors, page_section_dir};
use super::{Content, SortBy};
use crate::config::Config;

impl Content {
    /// Recomputes URLs, the section tree and bundle asset places after pages changed.
    pub fn relink(&mut self, config: &Config) {
        for s in &mut self.sections {
            s.pages.clear();
            s.subsections.clear();
            s.parent = None;
        }
        for p in &mut self.pages {
            p.section = None;
        }
        assign_urls(self, config);
        link_tree(self);
        // A bundle's assets go beside its page in every language (`x/index.md`, `x/index.en.md`),
        // as Zola publishes them; other assets keep their folder.
        let mut bundles: HashMap<&str, Vec<&str>> = HashMap::new();
        for p in &self.pages {
            let Some((dir, file)) = p.rel.rsplit_once('/') else {
                continue;
            };
            if file == "index.md" || (file.starts_with("index.") && file.matches('.').count() == 2)
            {
                bundles.entry(dir).or_default().push(p.url.as_str());
            }
        }
        self.assets = self
            .raw_assets
            .iter()
            .flat_map(|(path, rel)| {
                let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
                let name = rel.rsplit('/').next().unwrap_or(rel).to_string();
                let out_dirs: Vec<String> = match bundles.get(dir) {
                    Some(urls) => urls.iter().map(|u| u.to_string()).collect(),
                    None => vec![format!("/{dir}/").replace("//", "/")],
                };
                out_dirs
                    .into_iter()
                    .map(move |d| (path.clone(), format!("{d}{name}")))
            })
            .collect();
    }
}

pub(super) fn assign_urls(content: &mut Content, config: &Config) {
    let slug_dir = |dir: &str| {
        dir.split('/')
            .filter(|s| !s.is_empty())
            .map(slug::slugify)
            .collect::<Vec<_>>()
            .join("/")
    };
    for s in &mut content.sections {
        let prefix = config.lang_prefix(&s.lang);
        let d = slug_dir(&s.dir);
        s.url = if d.is_empty() {
            format!("{prefix}/")
        } else {
            format!("{prefix}/{d}/")
        };
    }
    for p in &mut content.pages {
        let prefix = config.lang_prefix(&p.lang);
        p.url = match &p.fixed_path {
            Some(path) => format!("{prefix}{path}"),
            None => {
                let d = slug_dir(&page_section_dir(&p.rel));
                if d.is_empty() {
                    format!("{prefix}/{}/", p.slug)
                } else {
                    format!("{prefix}/{d}/{}/", p.slug)
                }
            }
        };
    }
}

pub(super) fn link_tree(content: &mut Content) {
    let index: HashMap<(String, String), usize> = content
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| ((s.dir.clone(), s.lang.clone()), i))
        .collect();
    for i in 0..content.pages.len() {
        let dir = page_section_dir(&content.pages[i].rel);
        let lang = &content.pages[i].lang;
        let found =
            ancestors(&dir).find_map(|d| index.get(&(d.to_string(), lang.clone())).copied());
        content.pages[i].section = found;
        if let Some(s) = found {
            content.sections[s].pages.push(i);
        }
    }
    for i in 0..content.sections.len() {
        if content.sections[i].dir.is_empty() {
            continue;
        }
        let (dir, lang) = (&content.sections[i].dir, &content.sections[i].lang);
        let parent = ancestors(dir)
            .skip(1)
            .find_map(|d| index.get(&(d.to_string(), lang.clone())).copied());
        content.sections[i].parent = parent;
        if let Some(p) = parent {
            content.sections[p].subsections.push(i);
        }
    }
    // A transparent section's pages are listed by its parent too (up through transparent
    // parents), as in Zola.
    for i in 0..content.sections.len() {
        let mut at = i;
        while content.sections[at].transparent {
            let Some(p) = content.sections[at].parent else {
                break;
            };
            let pages = content.sections[i].pages.clone();
            for page in pages {
                if !content.sections[p].pages.contains(&page) {
                    content.sections[p].pages.push(page);
                }
            }
            at = p;
        }
    }
    let order: Vec<(i64, String)> = content
        .sections
        .iter()
        .map(|s| {
            (
                s.meta.weight.unwrap_or(i64::MAX),
                s.meta.title.to_lowercase(),
            )
        })
        .collect();
    for s in &mut content.sections {
        s.subsections.sort_by(|&a, &b| order[a].cmp(&order[b]));
    }
    let pages = &content.pages;
    for s in &mut content.sections {
        let sort_by = s.sort_by;
        s.pages.sort_by(|&a, &b| {
            let (a, b) = (&pages[a], &pages[b]);
            let order = match sort_by {
                SortBy::Date => b.date.cmp(&a.date),
                SortBy::UpdateDate => b.updated.or(b.date).cmp(&a.updated.or(a.date)),
                SortBy::Slug => a.slug.cmp(&b.slug),
                SortBy::Permalink => a.url.cmp(&b.url),
                SortBy::Weight => a
                    .meta
                    .weight
                    .unwrap_or(i64::MAX)
                    .cmp(&b.meta.weight.unwrap_or(i64::MAX)),
                SortBy::Title => a
                    .meta
                    .title
                    .to_lowercase()
                    .cmp(&b.meta.title.to_lowercase()),
                SortBy::None => std::cmp::Ordering::Equal,
            };
            order.then_with(|| a.rel.cmp(&b.rel))
        });
        if s.paginate_reversed {
            s.pages.reverse();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::config::Config;
    use crate::content::{LoadOptions, load};

    fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (rel, text) in files {
            let p = dir.path().join("content").join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        }
        dir
    }

    #[test]
    fn pages_join_their_nearest_section_sorted_and_sections_nest() {
        let config = Config::parse(
            "title = \"T\"\nbase_url = \"https://contoh.test\"\n[languages.en]\nname = \"English\"\n",
            Path::new("berdaya.toml"),
        )
        .unwrap();
        let dir = site(&[
            ("_index.md", "+++\ntitle = \"Beranda\"\n+++\n"),
            (
                "tips/_index.md",
                "+++\ntitle = \"Tips\"\nsort_by = \"title\"\n+++\n",
            ),
            ("tips/b.md", "+++\ntitle = \"Bawang\"\n+++\n"),
            ("tips/a.md", "+++\ntitle = \"Cabai\"\n+++\n"),
            ("tips/lama/c.md", "+++\ntitle = \"Arsip\"\n+++\n"),
            (
                "tips/a.en.md",
                "+++\ntitle = \"Chili\"\nslug = \"chili\"\n+++\n",
            ),
        ]);
        let (content, diags) = load(dir.path(), &config, &LoadOptions { drafts: false });
        assert!(!diags.has_errors(), "{diags}");
        let tips = content.sections.iter().find(|s| s.dir == "tips").unwrap();
        let titles: Vec<&str> = tips
            .pages
            .iter()
            .map(|&i| content.pages[i].meta.title.as_str())
            .collect();
        // tips/lama has no section of its own: its page joins tips, in title order.
        assert_eq!(titles, ["Arsip", "Bawang", "Cabai"]);
        let home = content
            .sections
            .iter()
            .position(|s| s.dir.is_empty())
            .unwrap();
        assert_eq!(tips.parent, Some(home));
        let en = content.pages.iter().find(|p| p.lang == "en").unwrap();
        assert_eq!(en.url, "/en/tips/chili/");
        assert_eq!(en.section, None, "no English tips section");
        let c = content
            .pages
            .iter()
            .find(|p| p.rel == "tips/lama/c.md")
            .unwrap();
        assert_eq!(c.url, "/tips/lama/c/");
    }
}
