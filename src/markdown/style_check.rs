//! Test support: which CSS rules style each piece of text in highlighted markup, to check that
//! leaving out unstyled classes and spans changes no style. Handles what syntect's stylesheets
//! use: selectors made of class compounds joined by the descendant combinator.

/// Each rule's selectors, each selector its compounds (outermost first), each compound its classes.
pub struct Rules(Vec<Vec<Vec<Vec<String>>>>);

impl Rules {
    pub fn parse(css: &str) -> Rules {
        let mut rules = Vec::new();
        let mut rest = css;
        while let Some(open) = rest.find('{') {
            let selectors = strip_comments(&rest[..open]);
            let parsed = selectors
                .split(',')
                .map(|selector| {
                    selector.split_whitespace().map(|c| c.split('.').filter(|s| !s.is_empty()).map(String::from).collect()).collect()
                })
                .collect();
            rules.push(parsed);
            rest = &rest[open + rest[open..].find('}').expect("closed rule")..][1..];
        }
        Rules(rules)
    }

    fn matching(&self, ancestors: &[Vec<String>]) -> Vec<usize> {
        (0..self.0.len()).filter(|&r| self.0[r].iter().any(|s| selector_matches(s, ancestors))).collect()
    }

    /// The text of `html` in runs, each with the rules matched along its ancestor chain (leaving
    /// out elements that match no rule), adjacent runs with the same chain merged.
    pub fn styled_runs(&self, html: &str) -> Vec<(String, Vec<Vec<usize>>)> {
        let mut runs: Vec<(String, Vec<Vec<usize>>)> = Vec::new();
        let mut stack: Vec<Vec<String>> = Vec::new();
        let mut chain: Vec<Vec<Vec<usize>>> = vec![Vec::new()];
        let mut rest = html;
        while !rest.is_empty() {
            if let Some(tag) = rest.strip_prefix("<span class=\"") {
                let end = tag.find("\">").expect("closed tag");
                stack.push(tag[..end].split(' ').map(|c| c.to_string()).collect());
                let mut next = chain.last().unwrap().clone();
                let matched = self.matching(&stack);
                if !matched.is_empty() {
                    next.push(matched);
                }
                chain.push(next);
                rest = &tag[end + 2..];
            } else if let Some(after) = rest.strip_prefix("</span>") {
                stack.pop();
                chain.pop();
                rest = after;
            } else {
                let end = rest.find('<').unwrap_or(rest.len());
                let style = chain.last().unwrap().clone();
                match runs.last_mut() {
                    Some((text, last)) if *last == style => text.push_str(&rest[..end]),
                    _ => runs.push((rest[..end].to_string(), style)),
                }
                rest = &rest[end..];
            }
        }
        runs
    }
}

fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start..].find("*/").map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// Descendant combinators only: the last compound matches the innermost element, each earlier
/// one some element further out (greedy from the inside is exact for this combinator).
fn selector_matches(compounds: &[Vec<String>], ancestors: &[Vec<String>]) -> bool {
    let has = |element: &Vec<String>, compound: &Vec<String>| compound.iter().all(|c| element.contains(c));
    let Some((subject, outer)) = compounds.split_last() else { return false };
    let Some((element, mut up)) = ancestors.split_last() else { return false };
    if !has(element, subject) {
        return false;
    }
    for compound in outer.iter().rev() {
        match up.iter().rposition(|e| has(e, compound)) {
            Some(i) => up = &up[..i],
            None => return false,
        }
    }
    true
}
