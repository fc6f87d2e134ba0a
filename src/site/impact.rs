//! The impact report pages (`/dampak/`, `/en/impact/`): overview, one page per outcome, method
//! and data quality, with the CSV downloads of their aggregates.

use super::Site;
use crate::common::diagnostics::Diagnostic;
use crate::output::{Fresh, Output, UnitKey};

impl Site {
    /// Translation keys and URLs of the report pages in every language.
    pub(super) fn impact_pages(&self) -> Vec<(String, String, String)> {
        let mut out = Vec::new();
        for lang in self.config.all_languages() {
            let Some((view, _)) = self.reports.get(&lang) else {
                continue;
            };
            let mut page = |key: String, url: &str| out.push((key, lang.clone(), url.to_string()));
            page("__impact".to_string(), &view.url);
            page("__impact_method".to_string(), &view.method_url);
            page("__impact_quality".to_string(), &view.quality_url);
            for o in &view.outcomes {
                page(format!("__impact_{}", o.id), &o.url);
            }
        }
        out
    }

    pub(super) fn render_impact(&self, out: &Output) -> Vec<Diagnostic> {
        let Some(a) = &self.analysis else {
            return Vec::new();
        };
        let mut diags = Vec::new();
        for lang in self.config.all_languages() {
            let Some((view, downloads)) = self.reports.get(&lang) else {
                continue;
            };
            let templates = [
                "impact_method.html",
                "impact_quality.html",
                "impact_outcome.html",
            ];
            let fp = || {
                let mut fp = self.fp("impact", "impact.html");
                fp.add(&lang).add(self.report_hashes.get(&lang));
                for t in templates {
                    fp.add(self.theme.hashes.get(t));
                }
                for (key, _, url) in self.impact_pages() {
                    fp.add(url).add(self.translations_of(&key));
                }
                fp.finish()
            };
            let mut files: Vec<String> = [&view.url, &view.method_url, &view.quality_url]
                .into_iter()
                .chain(view.outcomes.iter().map(|o| &o.url))
                .map(|u| Output::file_for_url(u))
                .collect();
            files.extend(
                downloads
                    .iter()
                    .map(|d| d.path.trim_start_matches('/').to_string()),
            );
            if let Fresh::Keep(_) = out.unit(UnitKey::Impact(lang.clone()), fp, files) {
                continue;
            }
            // When the data is from, when the site was built, and with which method: on every
            // report page and in print.
            let built = self.now.to_zoned_datetime(self.tz.clone()).date();
            let stamp = self
                .string(&lang, "say_stamp")
                .replace("{data}", &view.data_date)
                .replace("{built}", &crate::common::locale::date(built, &lang))
                .replace("{method}", &view.method_version);
            let page = |template: &str,
                        url: &str,
                        key: &str,
                        title: &str,
                        extra: &dyn Fn(&mut tera::Context)|
             -> Option<Diagnostic> {
                let mut ctx = self.context(&lang, url, Some(key));
                ctx.insert("report", view);
                ctx.insert("report_stamp", &stamp);
                ctx.insert("meta_title", title);
                extra(&mut ctx);
                match self.render(template, &ctx) {
                    Ok(html) => out.write_page(url, html, Some(&a.config.path)).err(),
                    Err(d) => Some(d),
                }
            };
            diags.extend(page(
                "impact.html",
                &view.url,
                "__impact",
                &view.title,
                &|_| {},
            ));
            let method = self.string(&lang, "method_title");
            diags.extend(page(
                "impact_method.html",
                &view.method_url,
                "__impact_method",
                &method,
                &|_| {},
            ));
            let quality = self.string(&lang, "quality_title");
            diags.extend(page(
                "impact_quality.html",
                &view.quality_url,
                "__impact_quality",
                &quality,
                &|_| {},
            ));
            for o in &view.outcomes {
                let key = format!("__impact_{}", o.id);
                diags.extend(page(
                    "impact_outcome.html",
                    &o.url,
                    &key,
                    &o.label,
                    &|ctx| ctx.insert("outcome", o),
                ));
            }
            for d in downloads.iter() {
                diags.extend(out.write(&d.path, d.csv.as_bytes()).err());
            }
        }
        diags
    }
}
