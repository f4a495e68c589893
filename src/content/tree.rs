//! Load stage: the section tree (each page's parent section and each section's ordered
//! children), from the folders that hold an `_index.md`.

use super::{Page, PageId, PageKind};
use std::collections::HashMap;

#[derive(Debug, Default, Clone)]
pub struct Tree {
    pub root: PageId,
    /// For each page: its child pages and sections, in display order (empty for non-sections).
    pub children: Vec<Vec<PageId>>,
    /// Every page in reading order: a section, then its children in display order, each
    /// section's own children before the next sibling (what previous/next links follow).
    pub order: Vec<PageId>,
    /// Each page's place in `order`.
    position: Vec<usize>,
}

impl Tree {
    /// Sets `parent` on every page and orders children by weight, then title.
    pub fn build(pages: &mut [Page]) -> Tree {
        let sections: HashMap<String, PageId> =
            pages.iter().enumerate().filter(|(_, p)| p.kind == PageKind::Section).map(|(i, p)| (p.dir().to_string(), i)).collect();
        let root = sections[""];
        let mut children = vec![Vec::new(); pages.len()];
        for (id, page) in pages.iter_mut().enumerate() {
            if id == root {
                continue;
            }
            // A section's own folder is excluded: its parent is the next section up.
            let start = if page.kind == PageKind::Section { parent_dir(page.dir()) } else { page.dir() };
            let mut dir = start;
            let parent = loop {
                if let Some(&s) = sections.get(dir) {
                    break s;
                }
                dir = parent_dir(dir);
            };
            page.parent = Some(parent);
            children[parent].push(id);
        }
        for list in &mut children {
            sort_children(list, pages);
        }
        let mut order = Vec::with_capacity(pages.len());
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            order.push(id);
            stack.extend(children[id].iter().rev());
        }
        let mut position = vec![usize::MAX; pages.len()];
        for (at, &id) in order.iter().enumerate() {
            position[id] = at;
        }
        Tree { root, children, order, position }
    }

    /// The pages before and after `id` in reading order.
    pub fn neighbours(&self, id: PageId) -> (Option<PageId>, Option<PageId>) {
        match self.position.get(id) {
            Some(&at) if at != usize::MAX => (at.checked_sub(1).map(|p| self.order[p]), self.order.get(at + 1).copied()),
            _ => (None, None),
        }
    }

    /// Ancestors of `id` from the root down, excluding `id`.
    pub fn ancestors(&self, pages: &[Page], id: PageId) -> Vec<PageId> {
        let mut chain = Vec::new();
        let mut at = pages[id].parent;
        while let Some(p) = at {
            chain.push(p);
            at = pages[p].parent;
        }
        chain.reverse();
        chain
    }
}

/// Display order: pages with a weight first, by weight; then by title; then by path.
pub fn sort_children(list: &mut [PageId], pages: &[Page]) {
    list.sort_by(|&a, &b| {
        let (a, b) = (&pages[a], &pages[b]);
        let key = |p: &Page| (p.front.weight.is_none(), p.front.weight.unwrap_or(0));
        key(a).cmp(&key(b)).then_with(|| a.title.to_lowercase().cmp(&b.title.to_lowercase())).then_with(|| a.rel.cmp(&b.rel))
    });
}

/// `a/b/` → `a/`, `a/` → ``.
fn parent_dir(dir: &str) -> &str {
    let trimmed = dir.strip_suffix('/').unwrap_or(dir);
    trimmed.rfind('/').map_or("", |i| &dir[..=i])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::load_page;

    #[test]
    fn parents_skip_folders_without_index_and_order_by_weight() {
        let mut pages: Vec<Page> = [
            ("_index.md", "---\ntitle: Home\n---\n"),
            ("a/_index.md", "---\ntitle: A\n---\n"),
            ("a/deep/x.md", "---\ntitle: Zed\nweight: 1\n---\n"),
            ("a/y.md", "---\ntitle: Alpha\n---\n"),
            ("b.md", "---\ntitle: B\nweight: 5\n---\n"),
        ]
        .into_iter()
        .map(|(rel, text)| load_page(rel, text.to_string()).0.unwrap())
        .collect();
        let tree = Tree::build(&mut pages);
        assert_eq!(tree.root, 0);
        assert_eq!(tree.children[0], vec![4, 1]); // b (weight 5) before A (no weight)
        assert_eq!(tree.children[1], vec![2, 3]); // Zed (weight 1) before Alpha
        assert_eq!(pages[2].parent, Some(1));
        assert_eq!(tree.ancestors(&pages, 2), vec![0, 1]);
        // Reading order: depth first, each section's pages before the next sibling.
        assert_eq!(tree.order, vec![0, 4, 1, 2, 3]);
        assert_eq!(tree.neighbours(0), (None, Some(4)));
        assert_eq!(tree.neighbours(1), (Some(4), Some(2)));
        assert_eq!(tree.neighbours(3), (Some(2), None));
    }
}
