//! Each page's template: its `layout` resolved, with the built-in page template standing
//! in (and one warning per layout name) on a site without templates of its own.

use std::collections::BTreeMap;

use crate::diag::{Diagnostic, Diagnostics};
use crate::load::Page;
use crate::render::{Layout, Renderer};

/// Each page's template. An unknown layout on a site without templates falls back to
/// the built-in page template with one warning per layout name.
pub(crate) fn resolve_layouts(
    pages: &[Page],
    renderer: &Renderer,
    diags: &mut Diagnostics,
) -> Vec<Option<String>> {
    let mut fallbacks: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut chosen = Vec::with_capacity(pages.len());
    for (index, page) in pages.iter().enumerate() {
        match renderer.resolve_layout(page.front.layout.as_deref()) {
            Layout::Found(name) => chosen.push(Some(name)),
            Layout::Fallback { wanted } => {
                fallbacks.entry(wanted).or_insert((index, 0)).1 += 1;
                chosen.push(Some("page.html".into()));
            }
            Layout::Missing { wanted, available } => {
                diags.push(missing_layout(page, &wanted, &available));
                chosen.push(None);
            }
        }
    }
    for (wanted, (first, count)) in fallbacks {
        diags.push(fallback_warning(&pages[first], &wanted, count));
    }
    chosen
}

fn missing_layout(page: &Page, wanted: &str, available: &[String]) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        "unknown-layout",
        format!("layout `{wanted}` has no template"),
    )
    .in_file(&page.file)
    .with_help(format!(
        "create `templates/{}`, map it in folio.yaml under `layouts:`, or use one of: {}",
        crate::render::layout_template_name(wanted),
        available.join(", ")
    ));
    at_key(diagnostic, page, "layout")
}

fn fallback_warning(first: &Page, wanted: &str, count: usize) -> Diagnostic {
    let pages = if count == 1 {
        "1 page uses".to_string()
    } else {
        format!("{count} pages use")
    };
    let diagnostic = Diagnostic::warning(
        "unknown-layout",
        format!("layout `{wanted}` has no template; {pages} the built-in page template instead"),
    )
    .in_file(&first.file)
    .with_help(format!(
        "add `templates/{}` to give these pages their own look",
        crate::render::layout_template_name(wanted)
    ));
    at_key(diagnostic, first, "layout")
}

fn at_key(diagnostic: Diagnostic, page: &Page, key: &str) -> Diagnostic {
    match page.front.position_of(key) {
        Some(position) => diagnostic.at(&page.text, position),
        None => diagnostic,
    }
}
