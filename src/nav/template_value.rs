//! A page's navigation view as the Tera value templates read, built from values made
//! once per node. Serialising a view for every page cost an eighth of a corpus build;
//! here every entry off the page's branch is the node's shared value (Tera's maps are
//! reference-counted, so taking one is a pointer copy), and only the entries on the
//! branch, which carry `active`, `current` and their children, are built for the page.

use std::sync::OnceLock;

use tera::value::Key;
use tera::{Map, Value};

use super::{NavItem, NavTree, ROOT};

/// Each node's entry as a page off its branch shows it, by node index.
#[derive(Debug, Clone, Default)]
pub(super) struct NodeValues(Vec<Value>);

impl NavTree {
    /// [`NavTree::view`] of page `page` as a template value.
    pub fn view_value(&self, page: usize) -> Value {
        let current = self.page_nodes[page];
        let branch = self.ancestors(current);
        self.level_value(ROOT, current, &branch)
    }

    fn level_value(&self, parent: usize, current: usize, branch: &[usize]) -> Value {
        let values = self.node_values();
        let entries: Vec<Value> = self
            .visible_children(parent)
            .map(|c| match branch.contains(&c) {
                false => values.0[c].clone(),
                true => {
                    let mut entry = values.0[c].as_map().cloned().unwrap_or_default();
                    entry.shift_remove(&Key::from("html"));
                    entry.insert("active".into(), Value::from(true));
                    entry.insert("current".into(), Value::from(c == current));
                    let children = self.level_value(c, current, branch);
                    entry.insert("children".into(), children);
                    Value::from(entry)
                }
            })
            .collect();
        Value::from(entries)
    }

    /// Gives every entry `html`: `render(entry, level)`, the theme's HTML for it off a
    /// page's branch (level 1 at the top). A page's sidebar then renders only its own
    /// branch; the rest is the same for every page and is made once.
    pub fn prerender_entries(&mut self, render: &(dyn Fn(&Value, usize) -> Option<String> + Sync)) {
        use rayon::prelude::*;
        let values = (0..self.nodes.len())
            .into_par_iter()
            .map(|node| {
                let value = self.entry_value(node);
                let level = self.ancestors(node).len() - 1;
                match (render(&value, level), value.as_map()) {
                    (Some(html), Some(map)) => {
                        let mut map = map.clone();
                        map.insert("html".into(), Value::safe_string(&html));
                        Value::from(map)
                    }
                    _ => value,
                }
            })
            .collect();
        self.node_values = OnceLock::from(NodeValues(values));
    }

    fn node_values(&self) -> &NodeValues {
        self.node_values.get_or_init(|| {
            NodeValues((0..self.nodes.len()).map(|n| self.entry_value(n)).collect())
        })
    }

    /// Node `node`'s entry, inactive and without children, in [`NavItem`]'s fields.
    fn entry_value(&self, node: usize) -> Value {
        let item = NavItem {
            title: self.nodes[node].label.clone(),
            url: self.nodes[node].url.clone(),
            active: false,
            current: false,
            has_children: self.visible_children(node).next().is_some(),
            children: Vec::new(),
            status: self.line_status.get(&node).cloned(),
        };
        Value::try_from_serializable(&item).unwrap_or_else(|_| Value::from(Map::new()))
    }
}

#[cfg(test)]
mod tests {
    use crate::load::Page;
    use crate::nav::{LineStatus, NavTree};
    use tera::Value;

    fn page(rel: &str, front: &str) -> Page {
        crate::testing::page(rel, &format!("---\n{front}\n---\n"))
    }

    #[test]
    fn every_page_gets_the_value_of_its_own_view() {
        let pages = vec![
            page("index.md", "title: Home"),
            page("a/index.md", "title: Alpha\nmenuWeight: 10"),
            page("a/x.md", "title: X"),
            page("a/deep/y.md", "title: Y"),
            page("a/hidden.md", "title: H\nmenuWeight: -1"),
            page("b/index.md", "title: Bravo"),
            page("b/z.md", "title: Z"),
        ];
        let mut tree = NavTree::build(&pages, "/docs/", &|_| None);
        let _ = tree.view_value(0);
        let ended = LineStatus {
            label: "ended".into(),
            kind: "ended".into(),
        };
        tree.set_line_status(5, ended);
        for index in 0..pages.len() {
            let expected = Value::try_from_serializable(&tree.view(index)).expect("serialises");
            assert_eq!(tree.view_value(index), expected, "page {index}");
        }
    }
}
