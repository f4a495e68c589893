//! Render stage, at theme load: templates checked before any page renders. A template that
//! includes itself or a macro that calls itself (directly or in a ring) would recurse until the
//! stack overflows and the process dies, `serve` included; an unknown filter, test or function
//! would fail every page. All are found here, in the template's file, at the place the name is
//! written. Tera's AST carries no positions, so the place is the first mention in the text.

use crate::diagnostics::{Diagnostic, LineIndex, Span};
use std::collections::{BTreeMap, BTreeSet};
use tera::ast::{Expr, ExprVal, MacroDefinition, Node};

/// One template's top level, or one of its macros.
type Unit = (String, Option<String>);

/// What a unit calls, and the names it uses.
#[derive(Default)]
struct Uses {
    calls: Vec<Unit>,
    filters: BTreeSet<String>,
    tests: BTreeSet<String>,
    functions: BTreeSet<String>,
}

/// Every problem of the templates in `tera`; `source(name)` gives a template's file (as shown
/// to the user) and text.
pub fn check(tera: &tera::Tera, source: &dyn Fn(&str) -> (String, String)) -> Vec<Diagnostic> {
    let units = collect(tera);
    let mut out = Vec::new();
    for ((template, _), uses) in &units {
        let unknown = |names: &BTreeSet<String>, known: &dyn Fn(&str) -> bool, what: &str| -> Vec<(String, String)> {
            names.iter().filter(|n| !known(n)).map(|n| (n.clone(), what.to_string())).collect()
        };
        let mut missing = unknown(&uses.filters, &|n| tera.filters.contains_key(n), "filter");
        missing.extend(unknown(&uses.tests, &|n| tera.testers.contains_key(n), "test"));
        missing.extend(unknown(&uses.functions, &|n| tera.functions.contains_key(n), "function"));
        for (name, what) in missing {
            let (file, text) = source(template);
            out.push(at_name(Diagnostic::error("template", file, format!("unknown Tera {what} `{name}`")), &text, &name));
        }
    }
    if let Some(ring) = find_cycle(&units) {
        let (template, name) = &ring[0];
        let (file, text) = source(template);
        let path: Vec<String> = ring.iter().map(describe).collect();
        let message = format!("{} calls itself ({}), which would recurse without end", describe(&ring[0]), path.join(" → "));
        let mention = name.clone().unwrap_or_else(|| template.clone());
        out.push(at_name(Diagnostic::error("template-recursion", file, message), &text, &mention));
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out.dedup();
    out
}

fn describe((template, name): &Unit) -> String {
    match name {
        Some(name) => format!("macro `{name}` of `{template}`"),
        None => format!("template `{template}`"),
    }
}

/// The diagnostic at the first mention of `name` in `text` (the whole file if none).
fn at_name(d: Diagnostic, text: &str, name: &str) -> Diagnostic {
    match text.find(name) {
        Some(at) => d.with_span(Span::new(at, at + name.len())).located(text, &LineIndex::new(text)),
        None => d,
    }
}

fn collect(tera: &tera::Tera) -> BTreeMap<Unit, Uses> {
    let mut units = BTreeMap::new();
    for (name, template) in &tera.templates {
        let resolve = |namespace: &str| -> String {
            if namespace == "self" {
                return name.clone();
            }
            let file = template.imported_macro_files.iter().find(|(_, ns)| ns == namespace);
            file.map_or_else(|| namespace.to_string(), |(file, _)| file.clone())
        };
        let mut top = Walker { uses: Uses::default(), resolve: &resolve, this: None, loops: Vec::new() };
        for node in &template.ast {
            if let Node::MacroDefinition(_, definition, _) = node {
                let mut walker = Walker { uses: Uses::default(), resolve: &resolve, this: Some((name, definition)), loops: Vec::new() };
                walker.nodes(&definition.body);
                definition.args.values().flatten().for_each(|e| walker.expr(e));
                units.insert((name.clone(), Some(definition.name.clone())), walker.uses);
            } else {
                top.nodes(std::slice::from_ref(node));
            }
        }
        units.insert((name.clone(), None), top.uses);
    }
    units
}

/// Walks one unit's nodes, recording what it uses.
struct Walker<'a> {
    uses: Uses,
    resolve: &'a dyn Fn(&str) -> String,
    /// The macro being walked, with its template.
    this: Option<(&'a String, &'a MacroDefinition)>,
    /// The enclosing `{% for value in container %}` loops, innermost last.
    loops: Vec<(String, String)>,
}

impl Walker<'_> {
    fn nodes(&mut self, list: &[Node]) {
        for node in list {
            match node {
                Node::VariableBlock(_, e) => self.expr(e),
                Node::Include(_, names, _) => self.uses.calls.extend(names.iter().map(|n| (n.clone(), None))),
                Node::Set(_, set) => self.expr(&set.value),
                Node::FilterSection(_, section, _) => {
                    self.call_args(&section.filter.args);
                    self.uses.filters.insert(section.filter.name.clone());
                    self.nodes(&section.body);
                }
                Node::Block(_, block, _) => self.nodes(&block.body),
                Node::Forloop(_, for_loop, _) => {
                    self.expr(&for_loop.container);
                    let container = match &for_loop.container.val {
                        ExprVal::Ident(ident) => ident.clone(),
                        _ => String::new(),
                    };
                    self.loops.push((for_loop.value.clone(), container));
                    self.nodes(&for_loop.body);
                    self.loops.pop();
                    self.nodes(for_loop.empty_body.as_deref().unwrap_or_default());
                }
                Node::If(branches, _) => {
                    for (_, condition, body) in &branches.conditions {
                        self.expr(condition);
                        self.nodes(body);
                    }
                    self.nodes(branches.otherwise.as_ref().map_or(&[][..], |(_, body)| body));
                }
                _ => {}
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        for filter in &e.filters {
            // Tera applies these two itself; they are not in its filter table.
            if !matches!(filter.name.as_str(), "safe" | "default") {
                self.uses.filters.insert(filter.name.clone());
            }
            self.call_args(&filter.args);
        }
        self.value(&e.val);
    }

    fn value(&mut self, v: &ExprVal) {
        match v {
            ExprVal::Math(m) => [&m.lhs, &m.rhs].into_iter().for_each(|e| self.expr(e)),
            ExprVal::Logic(l) => [&l.lhs, &l.rhs].into_iter().for_each(|e| self.expr(e)),
            ExprVal::In(i) => [&i.lhs, &i.rhs].into_iter().for_each(|e| self.expr(e)),
            ExprVal::Test(t) => {
                self.uses.tests.insert(t.name.clone());
                t.args.iter().for_each(|e| self.expr(e));
            }
            ExprVal::MacroCall(call) => {
                let callee = ((self.resolve)(&call.namespace), Some(call.name.clone()));
                if !self.descends(&callee, call) {
                    self.uses.calls.push(callee);
                }
                self.call_args(&call.args);
            }
            ExprVal::FunctionCall(call) => {
                self.uses.functions.insert(call.name.clone());
                self.call_args(&call.args);
            }
            ExprVal::Array(items) => items.iter().for_each(|e| self.expr(e)),
            ExprVal::StringConcat(concat) => concat.values.iter().for_each(|v| self.value(v)),
            _ => {}
        }
    }

    /// Whether `call` is the macro calling itself one level down a tree, which ends with the
    /// data: inside `{% for node in list %}`, where `list` is its own parameter, it passes
    /// `list=node.<field>`, and the macro never `set`s either name. (The embedded sidebar walks
    /// the section tree so.) Tera macros see only their arguments, so each call gets a strictly
    /// smaller part of finite data.
    fn descends(&self, callee: &Unit, call: &tera::ast::MacroCall) -> bool {
        let Some((template, definition)) = self.this else { return false };
        if callee != &(template.clone(), Some(definition.name.clone())) {
            return false;
        }
        self.loops.iter().any(|(value, container)| {
            let passes_a_child = matches!(
                call.args.get(container).map(|e| &e.val),
                Some(ExprVal::Ident(arg)) if arg.strip_prefix(value.as_str()).is_some_and(|rest| rest.starts_with('.'))
            );
            definition.args.contains_key(container) && passes_a_child && !sets_any(&definition.body, &[value, container])
        })
    }

    fn call_args(&mut self, args: &std::collections::HashMap<String, Expr>) {
        // Sorted: the order of a HashMap would make which problem is found first vary.
        let sorted: BTreeMap<&String, &Expr> = args.iter().collect();
        sorted.values().for_each(|e| self.expr(e));
    }
}

/// Whether `{% set %}` anywhere in `list` assigns one of `names`.
fn sets_any(list: &[Node], names: &[&String]) -> bool {
    list.iter().any(|node| match node {
        Node::Set(_, set) => names.contains(&&set.key),
        Node::FilterSection(_, section, _) => sets_any(&section.body, names),
        Node::Block(_, block, _) => sets_any(&block.body, names),
        Node::Forloop(_, for_loop, _) => {
            sets_any(&for_loop.body, names) || sets_any(for_loop.empty_body.as_deref().unwrap_or_default(), names)
        }
        Node::If(branches, _) => {
            branches.conditions.iter().any(|(_, _, body)| sets_any(body, names))
                || branches.otherwise.as_ref().is_some_and(|(_, body)| sets_any(body, names))
        }
        _ => false,
    })
}

/// A ring of calls, starting at its first unit in sorted order; `None` when there is none.
fn find_cycle(units: &BTreeMap<Unit, Uses>) -> Option<Vec<Unit>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut marks: BTreeMap<&Unit, Mark> = BTreeMap::new();
    // Iterative depth-first search: a deep template tree must not overflow the stack either.
    for start in units.keys() {
        if marks.contains_key(start) {
            continue;
        }
        let mut path: Vec<(&Unit, usize)> = vec![(start, 0)];
        marks.insert(start, Mark::Open);
        while let Some((unit, next)) = path.last_mut() {
            let calls = units.get(*unit).map_or(&[][..], |u| &u.calls[..]);
            let Some(callee) = calls.get(*next) else {
                marks.insert(*unit, Mark::Done);
                path.pop();
                continue;
            };
            *next += 1;
            let Some((callee, _)) = units.get_key_value(callee) else { continue };
            match marks.get(callee) {
                Some(Mark::Open) => {
                    let from = path.iter().position(|(u, _)| *u == callee).expect("an open unit is on the path");
                    return Some(path[from..].iter().map(|(u, _)| (*u).clone()).collect());
                }
                Some(Mark::Done) => {}
                None => {
                    marks.insert(callee, Mark::Open);
                    path.push((callee, 0));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(templates: &[(&str, &str)]) -> Vec<(String, (usize, usize), String)> {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(templates.iter().copied()).unwrap();
        let source = |name: &str| {
            let text = templates.iter().find(|(n, _)| *n == name).map_or("", |(_, t)| *t);
            (format!("shortcodes/{name}"), text.to_string())
        };
        check(&tera, &source).into_iter().map(|d| (d.file.display().to_string(), d.line_col(), d.message)).collect()
    }

    #[test]
    fn a_template_that_includes_itself_is_an_error() {
        let p = problems(&[("loop.html", "a\n{% include \"loop.html\" %}")]);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].0, "shortcodes/loop.html");
        assert!(p[0].2.starts_with("template `loop.html` calls itself"), "{p:?}");
    }

    #[test]
    fn a_self_recursive_macro_is_an_error_at_its_name() {
        let text = "{% macro down(n) %}{{ self::down(n=n) }}{% endmacro %}\n{{ self::down(n=1) }}";
        let p = problems(&[("m.html", text)]);
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(p[0].1, (1, 10));
        assert!(p[0].2.contains("macro `down` of `m.html` calls itself"), "{p:?}");
    }

    #[test]
    fn a_macro_walking_down_a_tree_is_allowed_but_not_one_passing_the_same_list() {
        let tree = "{% macro nodes(list) %}{% for node in list %}{{ self::nodes(list=node.children) }}{% endfor %}{% endmacro %}";
        assert!(problems(&[("tree.html", tree)]).is_empty());
        let same = "{% macro nodes(list) %}{% for node in list %}{{ self::nodes(list=list) }}{% endfor %}{% endmacro %}";
        assert_eq!(problems(&[("same.html", same)]).len(), 1);
        let reset = "{% macro nodes(list) %}{% for node in list %}{% set node = list %}{{ self::nodes(list=node.children) }}{% endfor %}{% endmacro %}";
        assert_eq!(problems(&[("reset.html", reset)]).len(), 1);
    }

    #[test]
    fn rings_through_two_templates_are_found() {
        let p = problems(&[("a.html", "{% include \"b.html\" %}"), ("b.html", "{% include \"a.html\" %}")]);
        assert!(p[0].2.contains("template `a.html` → template `b.html`"), "{p:?}");
    }

    #[test]
    fn unknown_filters_tests_and_functions_are_named_at_their_line() {
        let p = problems(&[("f.html", "ok {{ x | upper }}\n{{ x | shout }}{% if x is odd %}{% endif %}{{ fetch_secret() }}")]);
        let messages: Vec<&str> = p.iter().map(|(_, _, m)| m.as_str()).collect();
        assert_eq!(messages, ["unknown Tera filter `shout`", "unknown Tera function `fetch_secret`"], "{p:?}");
        assert_eq!(p[0].1, (2, 8));
    }

    #[test]
    fn ordinary_templates_pass() {
        let p = problems(&[
            ("base.html", "{% import \"m.html\" as m %}{{ m::item(x=1) }}{% block b %}{% endblock %}"),
            ("m.html", "{% macro item(x) %}{{ x | default(value=2) }}{% endmacro %}"),
        ]);
        assert!(p.is_empty(), "{p:?}");
    }
}
