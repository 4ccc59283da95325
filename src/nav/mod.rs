//! The navigation tree, built once from the folder hierarchy of the pages. Each page then
//! gets its own view: the top level plus the branch it sits on (never the whole tree, so
//! the work per page does not grow with the site), its breadcrumbs and its neighbours.
//! Neighbours (previous and next) follow the reading order within one section: the line
//! of a product (or the product's own pages) when the dataset maps the page, else the
//! top-level folder; drafts and hidden pages are never one.

mod template_value;

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

use crate::dataset::Scope;
use crate::load::Page;

/// A node: a page, or a folder that has pages below it but no index page of its own.
#[derive(Debug, Clone)]
struct Node {
    label: String,
    /// URL path below the base path; `None` for a folder without an index page.
    url: Option<String>,
    weight: Option<i64>,
    hidden: bool,
    parent: Option<usize>,
    children: Vec<usize>,
}

/// The site's navigation.
#[derive(Debug, Clone, Default)]
pub struct NavTree {
    nodes: Vec<Node>,
    /// Node of each page, by page index.
    page_nodes: Vec<usize>,
    /// Visible pages in reading order, and each page's place in it.
    reading_order: Vec<usize>,
    reading_position: HashMap<usize, usize>,
    /// Support status of the nodes that are a release line's folder page.
    line_status: HashMap<usize, LineStatus>,
    /// Each page's section, by page index: neighbours share one.
    sections: Vec<Section>,
    /// Each node's entry as a template value, made on the first page's view.
    node_values: OnceLock<template_value::NodeValues>,
}

/// The part of the site a reader pages through with previous and next.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Section {
    /// A product line's pages, or (`line: None`) a product's pages outside its lines.
    Scoped(Scope),
    /// The top-level folder of a page the dataset does not map; `""` for the pages at the
    /// top of `content/` (the home page among them).
    Folder(String),
}

impl Section {
    fn of(page: &Page, scope: Option<Scope>) -> Section {
        match scope {
            Some(scope) => Section::Scoped(scope),
            None => {
                let top = page.rel_path.split_once('/').map_or("", |(top, _)| top);
                Section::Folder(top.to_string())
            }
        }
    }
}

/// One entry of a page's navigation view, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct NavItem {
    pub title: String,
    pub url: Option<String>,
    pub active: bool,
    pub current: bool,
    pub has_children: bool,
    pub children: Vec<NavItem>,
    /// When the item is a release line's folder page: its support status.
    pub status: Option<LineStatus>,
}

/// A release line's support status as a label (`ended on 2021-08-26`) and a stable key
/// for CSS (`latest`, `supported`, `expires-next`, `ended`, `preview`, `older`).
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LineStatus {
    pub label: String,
    pub kind: String,
}

/// A link with its label.
#[derive(Debug, Clone, Serialize)]
pub struct NavLink {
    pub title: String,
    pub url: Option<String>,
}

const ROOT: usize = 0;

impl NavTree {
    /// Builds the tree; URLs in it are prefixed with `base_path`. `scope_of(i)` is what
    /// page `i` documents according to the dataset, and bounds its neighbours.
    pub fn build(
        pages: &[Page],
        base_path: &str,
        scope_of: &dyn Fn(usize) -> Option<Scope>,
    ) -> NavTree {
        let mut tree = NavTree::default();
        let mut by_dir: HashMap<String, usize> = HashMap::new();
        tree.nodes.push(Node {
            label: String::new(),
            url: None,
            weight: None,
            hidden: false,
            parent: None,
            children: Vec::new(),
        });
        by_dir.insert(String::new(), ROOT);
        let mut order: Vec<usize> = (0..pages.len()).collect();
        order.sort_by_key(|&i| pages[i].url.matches('/').count());
        tree.page_nodes = vec![ROOT; pages.len()];
        for i in order {
            tree.page_nodes[i] = tree.add_page(&pages[i], base_path, &mut by_dir);
        }
        tree.sort_children();
        tree.number_reading_order(pages);
        tree.sections = (0..pages.len())
            .map(|i| Section::of(&pages[i], scope_of(i)))
            .collect();
        tree
    }

    fn add_page(
        &mut self,
        page: &Page,
        base_path: &str,
        by_dir: &mut HashMap<String, usize>,
    ) -> usize {
        let dir = page.url.trim_matches('/').to_string();
        let url = Some(crate::load::url::href(base_path, &page.url));
        let node = Node {
            label: page.nav_title().to_string(),
            url,
            weight: page.front.menu_weight,
            hidden: page.hidden(),
            parent: None,
            children: Vec::new(),
        };
        if dir.is_empty() {
            let children = std::mem::take(&mut self.nodes[ROOT].children);
            self.nodes[ROOT] = Node { children, ..node };
            return ROOT;
        }
        let parent = self.folder(parent_dir(&dir), by_dir);
        let index = self.push(node, parent);
        by_dir.insert(dir, index);
        index
    }

    /// The node for folder `dir`, made (with its missing ancestors) if needed.
    fn folder(&mut self, dir: &str, by_dir: &mut HashMap<String, usize>) -> usize {
        if let Some(&index) = by_dir.get(dir) {
            return index;
        }
        let parent = self.folder(parent_dir(dir), by_dir);
        let label = dir.rsplit('/').next().unwrap_or(dir).to_string();
        let node = Node {
            label,
            url: None,
            weight: None,
            hidden: false,
            parent: None,
            children: Vec::new(),
        };
        let index = self.push(node, parent);
        by_dir.insert(dir.to_string(), index);
        index
    }

    fn push(&mut self, mut node: Node, parent: usize) -> usize {
        node.parent = Some(parent);
        self.nodes.push(node);
        let index = self.nodes.len() - 1;
        self.nodes[parent].children.push(index);
        index
    }

    /// Siblings by `menuWeight` (pages without one last), then label, then URL.
    fn sort_children(&mut self) {
        for i in 0..self.nodes.len() {
            let mut children = std::mem::take(&mut self.nodes[i].children);
            children.sort_by_cached_key(|&c| {
                let n = &self.nodes[c];
                (
                    n.weight.is_none(),
                    n.weight,
                    n.label.to_lowercase(),
                    n.url.clone(),
                )
            });
            self.nodes[i].children = children;
        }
    }

    fn number_reading_order(&mut self, pages: &[Page]) {
        let node_page: HashMap<usize, usize> = self
            .page_nodes
            .iter()
            .enumerate()
            .map(|(p, &n)| (n, p))
            .collect();
        let mut stack = vec![ROOT];
        while let Some(node) = stack.pop() {
            let readable = |p: &usize| !pages[*p].hidden() && !pages[*p].front.draft;
            if let Some(&page) = node_page.get(&node).filter(|p| readable(p)) {
                self.reading_position.insert(page, self.reading_order.len());
                self.reading_order.push(page);
            }
            let visible = self.nodes[node]
                .children
                .iter()
                .rev()
                .filter(|&&c| !self.nodes[c].hidden);
            stack.extend(visible);
        }
    }

    /// Marks page `page` as a release line's folder page with `status`.
    pub fn set_line_status(&mut self, page: usize, status: LineStatus) {
        self.line_status.insert(self.page_nodes[page], status);
        self.node_values = OnceLock::new();
    }

    /// The navigation as page `page` shows it.
    pub fn view(&self, page: usize) -> Vec<NavItem> {
        let current = self.page_nodes[page];
        let active = self.ancestors(current);
        self.items(ROOT, current, &active)
    }

    /// The top level only, for pages outside the tree (the built-in 404 page).
    pub fn top_level(&self) -> Vec<NavItem> {
        self.items(ROOT, usize::MAX, &[])
    }

    fn items(&self, parent: usize, current: usize, active: &[usize]) -> Vec<NavItem> {
        self.visible_children(parent)
            .map(|c| {
                let node = &self.nodes[c];
                let is_active = active.contains(&c);
                NavItem {
                    title: node.label.clone(),
                    url: node.url.clone(),
                    active: is_active,
                    current: c == current,
                    has_children: self.visible_children(c).next().is_some(),
                    children: if is_active {
                        self.items(c, current, active)
                    } else {
                        Vec::new()
                    },
                    status: self.line_status.get(&c).cloned(),
                }
            })
            .collect()
    }

    fn visible_children(&self, node: usize) -> impl Iterator<Item = usize> + '_ {
        let children = self.nodes[node].children.iter().copied();
        children.filter(|&c| !self.nodes[c].hidden)
    }

    /// `node` and its ancestors, nearest first.
    fn ancestors(&self, node: usize) -> Vec<usize> {
        let mut chain = vec![node];
        let mut at = node;
        while let Some(parent) = self.nodes[at].parent {
            chain.push(parent);
            at = parent;
        }
        chain
    }

    /// From the home page (when there is one) down to page `page` itself.
    pub fn breadcrumbs(&self, page: usize) -> Vec<NavLink> {
        let chain = self.ancestors(self.page_nodes[page]);
        chain
            .iter()
            .rev()
            .filter(|&&n| n != ROOT || self.nodes[ROOT].url.is_some())
            .map(|&n| NavLink {
                title: self.nodes[n].label.clone(),
                url: self.nodes[n].url.clone(),
            })
            .collect()
    }

    /// The pages before and after `page` in reading order, within its section.
    pub fn neighbours(&self, page: usize) -> (Option<usize>, Option<usize>) {
        let Some(&at) = self.reading_position.get(&page) else {
            return (None, None);
        };
        let same_section = |other: &usize| self.sections[*other] == self.sections[page];
        let prev = at.checked_sub(1).map(|i| self.reading_order[i]);
        let next = self.reading_order.get(at + 1).copied();
        (prev.filter(same_section), next.filter(same_section))
    }
}

fn parent_dir(dir: &str) -> &str {
    dir.rsplit_once('/').map_or("", |(parent, _)| parent)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(rel: &str, front: &str) -> Page {
        crate::testing::page(rel, &format!("---\n{front}\n---\n"))
    }

    fn pages() -> Vec<Page> {
        vec![
            page("index.md", "title: Home"),
            page("b/index.md", "title: Bravo\nmenuWeight: 20"),
            page("a/index.md", "title: Alpha\nmenuWeight: 10"),
            page("a/x.md", "title: X\nnavigationTitle: Ex"),
            page("a/hidden.md", "title: H\nmenuWeight: -1"),
            page("c/deep/y.md", "title: Y"),
        ]
    }

    #[test]
    fn siblings_sort_by_weight_and_hidden_pages_stay_out() {
        let pages = pages();
        let tree = NavTree::build(&pages, "/", &|_| None);
        let view = tree.view(3);
        let titles: Vec<_> = view.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, ["Alpha", "Bravo", "c"]);
        assert!(view[0].active);
        let children: Vec<_> = view[0]
            .children
            .iter()
            .map(|i| (i.title.as_str(), i.current))
            .collect();
        assert_eq!(children, [("Ex", true)]);
        assert!(view[1].children.is_empty());
    }

    #[test]
    fn breadcrumbs_and_neighbours_follow_the_tree() {
        let pages = pages();
        let tree = NavTree::build(&pages, "/docs/", &|_| None);
        let crumbs: Vec<_> = tree
            .breadcrumbs(3)
            .into_iter()
            .map(|c| (c.title, c.url))
            .collect();
        assert_eq!(crumbs[0], ("Home".to_string(), Some("/docs/".to_string())));
        assert_eq!(
            crumbs[2],
            ("Ex".to_string(), Some("/docs/a/x/".to_string()))
        );
        assert_eq!(
            tree.neighbours(2),
            (None, Some(3)),
            "a/ is not the section of the top-level pages"
        );
        assert_eq!(tree.neighbours(3), (Some(2), None), "b/ is another section");
        assert_eq!(tree.neighbours(4), (None, None));
    }

    #[test]
    fn neighbours_stay_in_the_product_line_and_skip_drafts() {
        let pages = vec![
            page("p/index.md", "title: P"),
            page("p/1/index.md", "title: One\nmenuWeight: 1"),
            page("p/1/a.md", "title: A\nmenuWeight: 1"),
            page("p/1/draft.md", "title: D\nmenuWeight: 2\ndraft: true"),
            page("p/1/b.md", "title: B\nmenuWeight: 3"),
            page("p/2/index.md", "title: Two\nmenuWeight: 2"),
            page("q/index.md", "title: Q"),
        ];
        let line = |i: usize| {
            let line = match pages[i].rel_path.split('/').nth(1) {
                Some("1") => Some(0),
                Some("2") => Some(1),
                _ => None,
            };
            pages[i]
                .rel_path
                .starts_with("p/")
                .then_some(Scope { product: 0, line })
        };
        let tree = NavTree::build(&pages, "/", &line);
        assert_eq!(
            tree.neighbours(1),
            (None, Some(2)),
            "P is the product's own page"
        );
        assert_eq!(
            tree.neighbours(2),
            (Some(1), Some(4)),
            "the draft is skipped"
        );
        assert_eq!(
            tree.neighbours(4),
            (Some(2), None),
            "line 2 is another section"
        );
        assert_eq!(tree.neighbours(3), (None, None));
        assert_eq!(tree.neighbours(6), (None, None), "q/ has no other page");
    }
}
