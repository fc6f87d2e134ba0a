//! Walking `content/`: every markdown file read and validated in parallel, sections first
//! (their `kind` decides how their pages are read), and the files beside pages listed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::file::{Parsed, check_asset, check_file_name, nearest, page_section_dir, read_file};
use super::page::read_page;
use super::section::read_section;
use super::{Content, Kind, LoadOptions, Page, Section};
use crate::common::diagnostics::{Diagnostic, Diagnostics, catch_panic};
use crate::config::Config;

/// Loads `content/` and links it: URLs and the section tree.
pub fn load(root: &Path, config: &Config, opts: &LoadOptions) -> (Content, Diagnostics) {
    let (mut content, diags) = load_files(root, config, opts);
    content.relink(config);
    (content, diags)
}

/// Reads and validates every file of `content/`; [`Content::relink`] links them.
pub fn load_files(root: &Path, config: &Config, opts: &LoadOptions) -> (Content, Diagnostics) {
    let content_dir = root.join("content");
    let mut diags = Diagnostics::default();
    let mut md_files = Vec::new();
    let mut assets = Vec::new();
    if !content_dir.is_dir() {
        diags.push(Diagnostic::error("no content/ folder").help(format!(
            "create {}/content with an _index.md",
            root.display()
        )));
        return (Content::default(), diags);
    }
    for entry in walkdir::WalkDir::new(&content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
    {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error(format!(
                    "cannot read content folder: {e}"
                )));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        if crate::common::text::is_editor_temp(&name) {
            continue;
        }
        let rel = crate::common::text::slash_path(&content_dir, entry.path());
        if let Some(d) = check_file_name(&rel) {
            diags.push(d);
            continue;
        }
        if name.ends_with(".md") {
            md_files.push((entry.into_path(), rel));
        } else if let Some(d) = check_asset(entry.path(), &rel) {
            diags.push(d);
        } else {
            assets.push((entry.into_path(), rel));
        }
    }

    let parsed: Vec<Result<Parsed, Vec<Diagnostic>>> = md_files
        .par_iter()
        .map(|(path, rel)| {
            let shown = PathBuf::from("content").join(rel);
            catch_panic(&shown, "reading", || read_file(path, rel)).unwrap_or_else(|d| Err(vec![d]))
        })
        .collect();
    let mut section_files = Vec::new();
    let mut page_files = Vec::new();
    for p in parsed {
        match p {
            Ok(p) => {
                let is_section = p
                    .rel
                    .rsplit('/')
                    .next()
                    .is_some_and(|n| n.starts_with("_index."));
                if is_section {
                    section_files.push(p)
                } else {
                    page_files.push(p)
                }
            }
            Err(ds) => diags.extend(ds),
        }
    }

    // Sections first: their `kind` decides how their pages are read.
    let mut sections: Vec<Section> = Vec::new();
    let mut drafts: Vec<String> = Vec::new();
    let mut unrendered: Vec<String> = Vec::new();
    for p in section_files {
        let shown = p.source.path.clone();
        let read = catch_panic(&shown, "reading", || read_section(p, config))
            .unwrap_or_else(|d| (None, vec![d]));
        match read {
            (Some(s), ds) => {
                diags.extend(ds);
                if !s.meta.draft || opts.drafts {
                    sections.push(s);
                } else {
                    drafts.push(s.rel.clone());
                }
            }
            (None, ds) => diags.extend(ds),
        }
    }
    let kind_of_dir = kinds_by_dir(&sections, config);
    let results: Vec<(Option<Page>, Vec<Diagnostic>)> = page_files
        .into_par_iter()
        .map(|p| {
            let dir = page_section_dir(&p.rel);
            let kind = nearest(&kind_of_dir, &dir).copied().unwrap_or_default();
            let shown = p.source.path.clone();
            catch_panic(&shown, "reading", || read_page(p, kind, config))
                .unwrap_or_else(|d| (None, vec![d]))
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    for (page, ds) in results {
        diags.extend(ds);
        match page {
            Some(page) if !page.meta.render => unrendered.push(page.rel),
            Some(page) if !page.meta.draft || opts.drafts => pages.push(page),
            Some(page) => drafts.push(page.rel),
            None => {}
        }
    }

    let content = Content {
        pages,
        sections,
        assets: Vec::new(),
        raw_assets: assets,
        drafts,
        unrendered,
    };
    (content, diags)
}

/// Kind of pages by section folder; the default language's section decides.
pub(super) fn kinds_by_dir(sections: &[Section], config: &Config) -> HashMap<String, Kind> {
    sections
        .iter()
        .filter(|s| {
            s.lang == config.default_language
                || !sections
                    .iter()
                    .any(|o| o.dir == s.dir && o.lang == config.default_language)
        })
        .map(|s| (s.dir.clone(), s.kind))
        .collect()
}
