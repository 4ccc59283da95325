//! How a page's URL is written where a browser reads it (an `href`, the sitemap, the
//! redirect files): with the site's base path, and with the characters a URL path cannot
//! hold as they are percent-encoded. A page `c#sharp.md` lives at the folder `c#sharp/`
//! of the output, and is linked as `c%23sharp/`: written raw, the browser would cut the
//! link at `#` (a fragment), `?` (a query) or misread `%`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Characters of a URL path kept as they are; everything else is percent-encoded (hosts
/// and browsers decode them alike, so the strict set is the safe one).
const PATH_KEEP: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'/')
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// The URL (below the base path) of the site's own 404 page, `content/404.md`.
pub const NOT_FOUND_URL: &str = "/404/";

/// Where the page at `url` (below the base path, `/a/b/`) is written in the output.
pub fn output_path(url: &str) -> String {
    format!("{}index.html", url.trim_start_matches('/'))
}

/// `path` with everything but letters, digits and `/-_.~` percent-encoded.
pub fn encode_path(path: &str) -> String {
    utf8_percent_encode(path, PATH_KEEP).to_string()
}

/// `url` (a decoded path from the site root, `/a b/`) below `base_path`, encoded:
/// `/docs/a%20b/`.
pub fn href(base_path: &str, url: &str) -> String {
    format!("{base_path}{}", encode_path(url.trim_start_matches('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_characters_a_path_cannot_hold_are_encoded() {
        assert_eq!(href("/", "/c#sharp/"), "/c%23sharp/");
        assert_eq!(href("/docs/", "/what?/"), "/docs/what%3F/");
        assert_eq!(href("/", "/100%/"), "/100%25/");
        assert_eq!(href("/", "/with space/x.png"), "/with%20space/x.png");
        assert_eq!(href("/", "/amp&er/"), "/amp%26er/");
        assert_eq!(href("/", "/über/"), "/%C3%BCber/");
        assert_eq!(href("/", "/"), "/");
    }
}
