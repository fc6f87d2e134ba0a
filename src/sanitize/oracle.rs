//! The sanitiser's oracle: does HTML about to be published hold anything that could run script
//! or cover the page? Used by the fuzz targets on every rendered body.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::{INVALID_URL, TAGS, kept_style, url_problem};

/// Checks HTML berdaya is about to publish as a page body: the first element or attribute that
/// could run script or cover the page (a tag outside the allow-list, an `on...` handler, a
/// `style` other than a table cell's alignment, a link or source with a refused scheme), or
/// `None`. The fuzz targets use it as the oracle for the sanitiser.
pub fn dangerous(html: &str) -> Option<String> {
    struct Check(RefCell<Option<String>>);
    impl TokenSink for Check {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            let Token::TagToken(tag) = token else {
                return TokenSinkResult::Continue;
            };
            if tag.kind == TagKind::EndTag || self.0.borrow().is_some() {
                return TokenSinkResult::Continue;
            }
            let name: &str = &tag.name;
            // The site's own task-list checkboxes are the only inputs.
            let own_input = name == "input"
                && tag
                    .attrs
                    .iter()
                    .all(|a| matches!(&*a.name.local, "type" | "checked" | "disabled"));
            if !TAGS.contains(&name) && !own_input {
                *self.0.borrow_mut() = Some(format!("<{name}>"));
            }
            for a in &tag.attrs {
                let attr: &str = &a.name.local;
                let bad = attr.starts_with("on")
                    || (attr == "style"
                        && (!matches!(name, "td" | "th")
                            || kept_style(&a.value).len()
                                != a.value.split(';').filter(|d| !d.trim().is_empty()).count()))
                    || (matches!(
                        attr,
                        "href"
                            | "src"
                            | "srcset"
                            | "cite"
                            | "action"
                            | "formaction"
                            | "data"
                            | "poster"
                    ) && url_problem(name, attr, &a.value)
                        .is_some_and(|why| why != INVALID_URL));
                if bad {
                    *self.0.borrow_mut() = Some(format!("<{name} {attr}=\"{}\">", &*a.value));
                }
            }
            super::tokenizer_state_after(name)
        }
    }
    let tok = Tokenizer::new(Check(RefCell::new(None)), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tok.feed(&input);
    tok.end();
    tok.sink.0.into_inner()
}
