//! WCAG AA contrast of the theme's colours, in light and dark mode: the palette is read
//! from the built stylesheet (`--name: light-dark(#LIGHT, #DARK)` in its `:root` block,
//! then the example site's own overrides), and every pair the theme puts together is
//! checked: 4.5:1 for text, 3:1 for the parts of controls and focus rings.

use std::collections::HashMap;

use crate::harness::example_site_copy;

/// Text on a background.
const TEXT: &[(&str, &str)] = &[
    ("fg", "bg"),
    ("fg", "bg-soft"),
    ("fg", "code-bg"),
    ("fg", "pre-bg"),
    ("fg-muted", "bg"),
    ("fg-muted", "bg-soft"),
    ("link", "bg"),
    ("link", "bg-soft"),
    ("link-hover", "bg"),
    ("accent", "bg"),
    ("accent", "bg-soft"),
    ("fg", "info-bg"),
    ("fg", "success-bg"),
    ("fg", "warning-bg"),
    ("fg", "danger-bg"),
    ("fg", "beta-bg"),
    ("fg", "enterprise-bg"),
    ("fg", "experimental-bg"),
    ("link", "info-bg"),
    ("link", "success-bg"),
    ("link", "warning-bg"),
    ("link", "danger-bg"),
    ("link", "beta-bg"),
    ("beta-fg", "beta-bg"),
    ("enterprise-fg", "enterprise-bg"),
    ("experimental-fg", "experimental-bg"),
    ("fg", "community-bg"),
    ("link", "community-bg"),
    ("community-fg", "community-bg"),
    ("fg", "oss-bg"),
    ("link", "oss-bg"),
    ("oss-fg", "oss-bg"),
    ("fg", "preview-bg"),
    ("link", "preview-bg"),
    ("preview-fg", "preview-bg"),
    ("fg", "techpreview-bg"),
    ("link", "techpreview-bg"),
    ("techpreview-fg", "techpreview-bg"),
    ("button-fg", "button-bg"),
    ("button-on-color", "button-purple"),
    ("button-on-color", "button-blue"),
    ("button-on-color", "button-green"),
    ("button-on-color", "button-red"),
    ("button-on-color", "button-orange"),
    ("button-on-color", "button-gray"),
    ("button-on-color", "button-dark"),
];

/// Focus rings, the current page's marker and control borders against what is behind.
const UI: &[(&str, &str)] = &[
    ("accent", "bg"),
    ("accent", "bg-soft"),
    ("border-strong", "bg"),
    ("border-strong", "bg-soft"),
    ("link", "bg"),
];

/// A colour in both modes.
#[derive(Debug, Clone, Copy)]
pub struct Pair {
    pub light: [u8; 3],
    pub dark: [u8; 3],
}

/// The custom properties of the first `:root { ... }` block of `css` whose value is a
/// colour or a `light-dark()` pair of colours.
pub fn palette(css: &str) -> HashMap<String, Pair> {
    let start = css.find(":root {").expect(":root block") + ":root {".len();
    let block = &css[start..start + css[start..].find('}').expect("end of :root")];
    let mut found = HashMap::new();
    for declaration in block.split(';') {
        let declaration = strip_comments(declaration);
        let Some((name, value)) = declaration.trim().split_once(':') else {
            continue;
        };
        let Some(name) = name.trim().strip_prefix("--") else {
            continue;
        };
        if let Some(pair) = parse_pair(value.trim()) {
            found.insert(name.to_string(), pair);
        }
    }
    found
}

fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("/*") {
        out.push_str(&rest[..at]);
        rest = rest[at..]
            .find("*/")
            .map_or("", |end| &rest[at + end + 2..]);
    }
    out.push_str(rest);
    out
}

fn parse_pair(value: &str) -> Option<Pair> {
    if let Some(inner) = value
        .strip_prefix("light-dark(")
        .and_then(|v| v.strip_suffix(')'))
    {
        let (light, dark) = inner.split_once(',')?;
        return Some(Pair {
            light: hex(light.trim())?,
            dark: hex(dark.trim())?,
        });
    }
    let colour = hex(value)?;
    Some(Pair {
        light: colour,
        dark: colour,
    })
}

fn hex(text: &str) -> Option<[u8; 3]> {
    let digits = text.strip_prefix('#')?;
    let digits = match digits.len() {
        3 => digits.chars().flat_map(|c| [c, c]).collect(),
        6 => digits.to_string(),
        _ => return None,
    };
    let byte = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

/// WCAG 2 relative luminance.
fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/// The WCAG contrast ratio of two colours, 1 to 21.
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Every pair of `pairs` under `minimum` in either mode, as readable lines.
fn failures(colours: &HashMap<String, Pair>, pairs: &[(&str, &str)], minimum: f64) -> Vec<String> {
    let mut failed = Vec::new();
    for (fg, bg) in pairs {
        let (Some(f), Some(b)) = (colours.get(*fg), colours.get(*bg)) else {
            failed.push(format!("--{fg} or --{bg} is not a colour of the palette"));
            continue;
        };
        for (mode, f, b) in [("light", f.light, b.light), ("dark", f.dark, b.dark)] {
            let ratio = contrast(f, b);
            if ratio < minimum {
                failed.push(format!(
                    "{mode}: --{fg} on --{bg} is {ratio:.2}:1, needs {minimum}:1"
                ));
            }
        }
    }
    failed
}

#[test]
fn the_contrast_formula_matches_wcag() {
    assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
    let ratio = contrast(hex("#777").expect("hex"), [255, 255, 255]);
    assert!((ratio - 4.48).abs() < 0.01, "{ratio}");
    assert!(
        failures(
            &palette(":root { --a: #777; --b: #fff; }"),
            &[("a", "b")],
            4.5
        )
        .len()
            == 2
    );
}

#[test]
fn the_theme_and_the_example_site_meet_wcag_aa_in_both_modes() {
    let site = example_site_copy();
    site.build().expect_code(0);
    let mut colours = palette(&site.read("public/_folio/style.css"));
    assert!(colours.len() > 30, "palette: {colours:?}");
    colours.extend(palette(&site.read("public/css/site.css")));
    let mut failed = failures(&colours, TEXT, 4.5);
    failed.extend(failures(&colours, UI, 3.0));
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}
