//! Data stage: YAML loading that keeps `serde_yaml_ng`'s own positions for every problem.
//!
//! `serde_yaml_ng::Value` carries no positions, but every error the deserializer returns does: the
//! mark of the node it was reading. So a file is loaded in one pass into a `serde_json::Value`
//! (recording duplicate keys and refusing alias bombs on the way), and only when a diagnostic needs a
//! place is the text read again by a probe that fails on purpose at the wanted node: the error's
//! location is that node's line and column.

use std::cell::{Cell, RefCell};
use std::fmt;
use std::path::Path;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::diagnostics::{Diagnostic, LineIndex, Span};

/// One step from a node to one of its children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// The entry with this key in a mapping; the number tells which one (0 = first) when the key is
    /// repeated.
    Key(String, usize),
    Index(usize),
}

impl Step {
    pub(crate) fn key(key: &str) -> Self {
        Step::Key(key.to_owned(), 0)
    }
}

/// A path of keys (first occurrences) from the root.
pub(crate) fn keys(path: &[&str]) -> Vec<Step> {
    path.iter().map(|k| Step::key(k)).collect()
}

/// Which part of a mapping entry a probe points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    Key,
    Value,
}

/// A key met again in the same mapping; the loaded value keeps the first entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Duplicate {
    pub parent: Vec<Step>,
    pub key: String,
    pub occurrence: usize,
}

#[derive(Debug)]
pub(crate) struct Loaded {
    pub value: Value,
    pub duplicates: Vec<Duplicate>,
}

/// Problems our own visitors raise, told apart from the crate's errors by this side channel because
/// a `serde_yaml_ng::Error` does not expose its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fatal {
    AliasBomb,
    Tag,
    ComplexKey,
}

const ALIAS_BOMB: &str = "YAML aliases expand to far more data than the file holds \
     (an alias bomb, as in \"billion laughs\"?); refusing to load it";

/// Load state shared by every visitor of one pass.
struct Ctx {
    /// What may still be built: one unit per node plus one per byte of text. Without aliases a file
    /// cannot build more than its own size, so a generous multiple of it only stops alias bombs,
    /// including wide ones that stay under `serde_yaml_ng`'s own repetition limit.
    budget: Cell<usize>,
    fatal: Cell<Option<Fatal>>,
    path: RefCell<Vec<Step>>,
    duplicates: RefCell<Vec<Duplicate>>,
}

impl Ctx {
    fn new(text_len: usize) -> Self {
        Ctx {
            budget: Cell::new(text_len.saturating_mul(8).saturating_add(64 * 1024)),
            fatal: Cell::new(None),
            path: RefCell::new(Vec::new()),
            duplicates: RefCell::new(Vec::new()),
        }
    }

    fn fail<E: de::Error>(&self, fatal: Fatal, message: &str) -> E {
        self.fatal.set(Some(fatal));
        E::custom(message)
    }

    fn charge<E: de::Error>(&self, units: usize) -> Result<(), E> {
        match self.budget.get().checked_sub(units.saturating_add(1)) {
            Some(left) => {
                self.budget.set(left);
                Ok(())
            }
            None => Err(self.fail(Fatal::AliasBomb, ALIAS_BOMB)),
        }
    }

    /// Runs `f` with `step` pushed on the current path, so duplicates know where they are.
    fn within<T>(&self, step: Step, f: impl FnOnce() -> T) -> T {
        self.path.borrow_mut().push(step);
        let out = f();
        self.path.borrow_mut().pop();
        out
    }
}

/// [`load`] for a data file: refuses one over the size limit, and locates the error.
pub(super) fn load_checked(file: &Path, text: &str) -> Result<Loaded, Diagnostic> {
    if let Some(too_large) = super::check_size(file, text) {
        return Err(too_large);
    }
    load(file, text).map_err(|d| d.located(text, &crate::diagnostics::LineIndex::new(text)))
}

/// Parses `text` as one YAML document. Errors: `yaml-syntax`, `data-alias-bomb`, `data-type` (tags,
/// complex keys), each at the crate's location when it has one.
pub(crate) fn load(file: &Path, text: &str) -> Result<Loaded, Box<Diagnostic>> {
    if let Some(at) = crate::content::front_matter::yaml_too_deep(text) {
        let message = format!("YAML nests deeper than {} levels here", crate::content::front_matter::MAX_YAML_DEPTH);
        return Err(Box::new(Diagnostic::error("yaml-syntax", file, message).with_span(Span::new(at, at + 1))));
    }
    let ctx = Ctx::new(text.len());
    match NodeSeed(&ctx).deserialize(serde_yaml_ng::Deserializer::from_str(text)) {
        Ok(value) => Ok(Loaded { value, duplicates: ctx.duplicates.into_inner() }),
        Err(err) => Err(Box::new(load_error(file, text, &err, ctx.fatal.get()))),
    }
}

fn load_error(file: &Path, text: &str, err: &serde_yaml_ng::Error, fatal: Option<Fatal>) -> Diagnostic {
    // The crate's own repetition limit has no other sign than its message.
    let bomb = fatal == Some(Fatal::AliasBomb) || (fatal.is_none() && err.to_string().starts_with("repetition limit exceeded"));
    let diagnostic = if bomb {
        Diagnostic::error("data-alias-bomb", file, ALIAS_BOMB)
    } else if fatal.is_some() {
        Diagnostic::error("data-type", file, message_without_location(err))
    } else {
        let message = format!("invalid YAML: {}", message_without_location(err));
        Diagnostic::error("yaml-syntax", file, message)
    };
    match err.location() {
        Some(loc) => {
            let start = LineIndex::new(text).offset(text, loc.line(), loc.column());
            diagnostic.with_span(char_span(text, start))
        }
        None => diagnostic,
    }
}

/// The error's text without the " at line L column C" that the span already carries.
fn message_without_location(err: &serde_yaml_ng::Error) -> String {
    let message = err.to_string();
    match err.location() {
        Some(loc) => {
            let at = format!(" at line {} column {}", loc.line(), loc.column());
            message.replacen(&at, "", 1)
        }
        None => message,
    }
}

/// The one character at `start` (empty at the end of the text).
fn char_span(text: &str, start: usize) -> Span {
    let len = text[start..].chars().next().map_or(0, char::len_utf8);
    Span::new(start, start + len)
}

/// Builds a `serde_json::Value` from any YAML node.
struct NodeSeed<'c>(&'c Ctx);

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(NodeVisitor(self.0))
    }
}

struct NodeVisitor<'c>(&'c Ctx);

impl<'de> Visitor<'de> for NodeVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.0.charge(1)?;
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.0.charge(1)?;
        Ok(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.0.charge(1)?;
        Ok(Value::from(v))
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        self.0.charge(1)?;
        Ok(Number::from_i128(v).map_or_else(|| Value::String(v.to_string()), Value::Number))
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        self.0.charge(1)?;
        Ok(Number::from_u128(v).map_or_else(|| Value::String(v.to_string()), Value::Number))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.0.charge(1)?;
        // JSON has no NaN or infinity; keep YAML's `.nan` / `.inf` readable as text.
        Ok(Number::from_f64(v).map_or_else(|| Value::String(v.to_string()), Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.0.charge(v.len())?;
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.0.charge(v.len())?;
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.0.charge(1)?;
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let ctx = self.0;
        ctx.charge(1)?;
        let mut items = Vec::new();
        while let Some(item) = ctx.within(Step::Index(items.len()), || seq.next_element_seed(NodeSeed(ctx)))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let ctx = self.0;
        ctx.charge(1)?;
        let mut entries = Map::new();
        let mut repeats: Vec<(String, usize)> = Vec::new();
        while let Some(key) = map.next_key_seed(Key(ctx))? {
            if entries.contains_key(&key) {
                // Skipped unread: a repeated entry's value is never expanded or checked.
                map.next_value::<IgnoredAny>()?;
                let occurrence = count_repeat(&mut repeats, &key);
                ctx.duplicates.borrow_mut().push(Duplicate { parent: ctx.path.borrow().clone(), key, occurrence });
                continue;
            }
            let value = ctx.within(Step::Key(key.clone(), 0), || map.next_value_seed(NodeSeed(ctx)))?;
            entries.insert(key, value);
        }
        Ok(Value::Object(entries))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, _data: A) -> Result<Value, A::Error> {
        Err(self.0.fail(Fatal::Tag, TAG))
    }
}

/// Which occurrence (1 = the first repeat) of `key` this is.
fn count_repeat(repeats: &mut Vec<(String, usize)>, key: &str) -> usize {
    match repeats.iter_mut().find(|(k, _)| k == key) {
        Some((_, n)) => {
            *n += 1;
            *n
        }
        None => {
            repeats.push((key.to_owned(), 1));
            1
        }
    }
}

/// What a key reader does with each key it reads. The check runs inside the key's own
/// `deserialize_any`, so an error it returns carries the key's position.
trait KeyCheck {
    fn check<E: de::Error>(&self, key: String) -> Result<String, E>;
    fn refuse<E: de::Error>(&self, fatal: Fatal, message: &str) -> E;
}

/// Reads a mapping key as text (`1:` and `"1":` are the same key for our purposes).
struct Key<C>(C);

impl<'de, C: KeyCheck> DeserializeSeed<'de> for Key<C> {
    type Value = String;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, C: KeyCheck> Visitor<'de> for Key<C> {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping key")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        self.0.check(v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        self.0.check(v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        self.0.check(v.to_string())
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<String, E> {
        self.0.check(v.to_string())
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<String, E> {
        self.0.check(v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        self.0.check(v.to_string())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        self.0.check(v.to_owned())
    }

    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        self.0.check("null".to_owned())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<String, A::Error> {
        Err(self.0.refuse(Fatal::ComplexKey, COMPLEX_KEY))
    }

    fn visit_map<A: MapAccess<'de>>(self, _map: A) -> Result<String, A::Error> {
        Err(self.0.refuse(Fatal::ComplexKey, COMPLEX_KEY))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, _data: A) -> Result<String, A::Error> {
        Err(self.0.refuse(Fatal::Tag, TAG))
    }
}

const COMPLEX_KEY: &str = "a mapping key must be a plain value, not a list or mapping";
const TAG: &str = "YAML tags (`!name value`) are not supported in data files";

/// Loading: keys count against the alias budget like values do.
impl KeyCheck for &Ctx {
    fn check<E: de::Error>(&self, key: String) -> Result<String, E> {
        self.charge(key.len())?;
        Ok(key)
    }

    fn refuse<E: de::Error>(&self, fatal: Fatal, message: &str) -> E {
        self.fail(fatal, message)
    }
}

/// Finds where nodes of one text are, for diagnostics. Each lookup re-reads the whole text (~2 ms
/// for 100 KB in a release build), so it is meant for the few nodes that have a problem.
pub(crate) struct Locator<'t> {
    text: &'t str,
    index: LineIndex,
    /// Bytes that lookups may still re-read. A file with thousands of problems would otherwise take
    /// minutes; past this, diagnostics are still reported, only without a position.
    budget: Cell<usize>,
}

/// What the lookups of one file may re-read in all: 128 lookups in a 128 KiB file, 8 in a 2 MiB one.
const LOOKUP_BUDGET: usize = 16 * 1024 * 1024;

impl<'t> Locator<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Self::with_budget(text, LOOKUP_BUDGET)
    }

    fn with_budget(text: &'t str, budget: usize) -> Self {
        Locator { text, index: LineIndex::new(text), budget: Cell::new(budget) }
    }

    /// The span of the key or value at `path`, or `None` if the text has no such node.
    pub(crate) fn span(&self, path: &[Step], part: Part) -> Option<Span> {
        let start = self.start(path, part)?;
        Some(Span::new(start, node_end(self.text, start)))
    }

    /// 1-based line of a span's start.
    pub(crate) fn line(&self, span: Span) -> usize {
        self.index.line_col(self.text, span.start).0
    }

    fn start(&self, path: &[Step], part: Part) -> Option<usize> {
        let left = self.budget.get().checked_sub(self.text.len())?;
        self.budget.set(left);
        let found = Cell::new(false);
        let probe = Probe { path, part, found: &found };
        let err = probe.deserialize(serde_yaml_ng::Deserializer::from_str(self.text)).err()?;
        let loc = err.location().filter(|_| found.get())?;
        Some(self.index.offset(self.text, loc.line(), loc.column()))
    }

    /// One diagnostic for a repeated key: at the repeat, noting the first one's line.
    pub(crate) fn duplicate(&self, file: &Path, dup: &Duplicate) -> Diagnostic {
        let mut path = dup.parent.clone();
        path.push(Step::Key(dup.key.clone(), dup.occurrence));
        let message = format!("duplicate key `{}` in {}", dup.key, describe(&dup.parent));
        let mut diagnostic = Diagnostic::error("duplicate-key", file, message)
            .with_target(dup.key.clone())
            .with_label("defined again here; only the first is used");
        if let Some(span) = self.span(&path, Part::Key) {
            diagnostic = diagnostic.with_span(span);
        }
        *path.last_mut().expect("path has the key") = Step::key(&dup.key);
        if let Some(first) = self.span(&path, Part::Key) {
            let note = format!("`{}` is first defined at line {}", dup.key, self.line(first));
            diagnostic = diagnostic.with_note(note);
        }
        diagnostic
    }
}

/// Reads a loaded file's values with types checked, reporting each problem at its place.
pub(crate) struct Reader<'a> {
    pub file: &'a Path,
    pub locator: Locator<'a>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<'a> Reader<'a> {
    /// Starts with a diagnostic for each repeated key found while loading.
    pub(crate) fn new(file: &'a Path, text: &'a str, duplicates: &[Duplicate]) -> Self {
        let locator = Locator::new(text);
        let diagnostics = duplicates.iter().map(|dup| locator.duplicate(file, dup)).collect();
        Reader { file, locator, diagnostics }
    }

    /// The node at `path`, else the nearest key above it that the text has (a value that came
    /// through a `<<` merge is not written under its own path).
    pub(crate) fn span(&self, path: &[Step]) -> Option<Span> {
        self.locator.span(path, Part::Value).or_else(|| (1..path.len()).rev().find_map(|len| self.locator.span(&path[..len], Part::Key)))
    }

    pub(crate) fn type_error(&mut self, path: &[Step], expected: &str, found: &Value) {
        let message = format!("{} must be {expected}, found {}", describe(path), kind(found));
        let mut diagnostic = Diagnostic::error("data-type", self.file, message).with_label(format!("expected {expected}"));
        if let Some(span) = self.span(path) {
            diagnostic = diagnostic.with_span(span);
        }
        self.diagnostics.push(diagnostic);
    }

    /// A scalar as text (numbers and booleans too: `display_name: 2024` is a name); `None` when
    /// absent or null, and after reporting a list or mapping.
    pub(crate) fn text(&mut self, path: &[Step], value: Option<&Value>) -> Option<String> {
        match value? {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            scalar @ (Value::Number(_) | Value::Bool(_)) => Some(scalar.to_string()),
            other => {
                self.type_error(path, "a string", other);
                None
            }
        }
    }

    /// A mapping; `None` when absent or null, and after reporting any other type.
    pub(crate) fn map<'v>(&mut self, path: &[Step], value: Option<&'v Value>) -> Option<&'v Map<String, Value>> {
        match value? {
            Value::Null => None,
            Value::Object(map) => Some(map),
            other => {
                self.type_error(path, "a mapping", other);
                None
            }
        }
    }
}

/// `path` with one more key.
pub(crate) fn child(path: &[Step], key: &str) -> Vec<Step> {
    let mut out = path.to_vec();
    out.push(Step::key(key));
    out
}

/// The entry `key` of a mapping, or of what it merges with `<<: *anchor` (YAML 1.1 merge keys, which
/// `serde_yaml_ng` leaves to the reader). Entries written in the mapping itself win.
pub(crate) fn get<'v>(map: &'v Map<String, Value>, key: &str) -> Option<&'v Value> {
    get_within(map, key, 8)
}

fn get_within<'v>(map: &'v Map<String, Value>, key: &str, depth: usize) -> Option<&'v Value> {
    if let Some(value) = map.get(key) {
        return Some(value);
    }
    let merged = map.get("<<").filter(|_| depth > 0)?;
    let sources = match merged {
        Value::Array(items) => items.as_slice(),
        single => std::slice::from_ref(single),
    };
    sources.iter().filter_map(Value::as_object).find_map(|source| get_within(source, key, depth - 1))
}

/// A value's YAML type, for messages.
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}

/// A path as people read it: `stages.manage.groups`, or "the top level".
pub(crate) fn describe(path: &[Step]) -> String {
    if path.is_empty() {
        return "the top level".to_owned();
    }
    let mut out = String::from("`");
    for (i, step) in path.iter().enumerate() {
        match step {
            Step::Key(key, _) if i == 0 => out.push_str(key),
            Step::Key(key, _) => {
                out.push('.');
                out.push_str(key);
            }
            Step::Index(n) => out.push_str(&format!("[{n}]")),
        }
    }
    out.push('`');
    out
}

/// Walks to `path` and fails there on purpose, so the error carries the node's mark. `found` tells
/// that failure apart from any other (a missing node fails with `found` unset).
struct Probe<'a> {
    path: &'a [Step],
    part: Part,
    found: &'a Cell<bool>,
}

impl Probe<'_> {
    fn child<'b>(&'b self, path: &'b [Step]) -> Probe<'b> {
        Probe { path, part: self.part, found: self.found }
    }

    fn here<E: de::Error>(&self) -> E {
        self.found.set(true);
        E::custom("found")
    }

    fn scalar<E: de::Error>(&self) -> Result<(), E> {
        Err(if self.path.is_empty() { self.here() } else { not_found() })
    }
}

fn not_found<E: de::Error>() -> E {
    E::custom("not found")
}

impl<'de> DeserializeSeed<'de> for Probe<'_> {
    type Value = ();

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Probe<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.scalar()
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.scalar()
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.scalar()
    }

    fn visit_i128<E: de::Error>(self, _: i128) -> Result<(), E> {
        self.scalar()
    }

    fn visit_u128<E: de::Error>(self, _: u128) -> Result<(), E> {
        self.scalar()
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.scalar()
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        self.scalar()
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.scalar()
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Some((Step::Index(n), rest)) = self.path.split_first() else {
            return self.scalar();
        };
        for _ in 0..*n {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Err(not_found());
            }
        }
        seq.next_element_seed(self.child(rest))?;
        Err(not_found())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Some((Step::Key(wanted, occurrence), rest)) = self.path.split_first() else {
            return self.scalar();
        };
        let wants_key = rest.is_empty() && self.part == Part::Key;
        let mut seen = 0;
        loop {
            let seed = Key(ProbeKey { wanted, fail_here: wants_key && seen == *occurrence, found: self.found });
            let Some(key) = map.next_key_seed(seed)? else {
                break;
            };
            if key == *wanted && seen == *occurrence {
                map.next_value_seed(self.child(rest))?;
                break;
            }
            seen += usize::from(key == *wanted);
            map.next_value::<IgnoredAny>()?;
        }
        Err(not_found())
    }
}

/// Probing: fails at the key itself when the probe wants this very key (not its value).
struct ProbeKey<'p> {
    wanted: &'p str,
    fail_here: bool,
    found: &'p Cell<bool>,
}

impl KeyCheck for ProbeKey<'_> {
    fn check<E: de::Error>(&self, key: String) -> Result<String, E> {
        if self.fail_here && key == self.wanted {
            self.found.set(true);
            return Err(E::custom("found"));
        }
        Ok(key)
    }

    fn refuse<E: de::Error>(&self, _fatal: Fatal, message: &str) -> E {
        E::custom(message)
    }
}

/// Where the node starting at `start` ends: the whole quoted or flow value, else the rest of the
/// line up to a comment or a `: ` (so a key's span is just the key).
fn node_end(text: &str, start: usize) -> usize {
    let rest = &text[start..];
    let line_len = rest.find(['\n', '\r']).unwrap_or(rest.len());
    let skip = prefix_len(&rest[..line_len]);
    let body = &rest[skip..];
    let len = match body.chars().next() {
        Some(quote @ ('"' | '\'')) => quoted_len(body, quote),
        Some('[' | '{') => flow_len(body),
        _ => Some(plain_len(&body[..line_len - skip], in_flow(text, start))),
    };
    start + skip + len.unwrap_or(line_len - skip)
}

/// Length of leading `&anchor` and `!tag` properties and the spaces after them.
fn prefix_len(line: &str) -> usize {
    let mut at = 0;
    while line[at..].starts_with(['&', '!']) {
        let word = line[at..].find(' ').unwrap_or(line.len() - at);
        let spaces = line[at + word..].len() - line[at + word..].trim_start_matches(' ').len();
        at += word + spaces;
    }
    at
}

fn quoted_len(body: &str, quote: char) -> Option<usize> {
    let mut chars = body.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            '\'' if quote == '\'' && chars.peek().is_some_and(|&(_, n)| n == '\'') => {
                chars.next();
            }
            c if c == quote => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn flow_len(body: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote = None;
    for (i, c) in body.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether `start` is inside a `[...]` or `{...}` opened earlier on its line, where a plain value
/// also ends at `,`, `]` and `}`.
fn in_flow(text: &str, start: usize) -> bool {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..start];
    let opened = before.matches(['[', '{']).count();
    opened > before.matches([']', '}']).count()
}

/// A plain value ends at a comment, at `: ` (a key), at a line-final `:`, and in a flow collection
/// at `,`, `]` or `}`.
fn plain_len(line: &str, in_flow: bool) -> usize {
    let flow_stops: &[&str] = if in_flow { &[",", "]", "}"] } else { &[] };
    let end = [" #", "\t#", ": "].iter().chain(flow_stops).filter_map(|stop| line.find(stop)).min().unwrap_or(line.len());
    let value = line[..end].trim_end();
    if end == line.len() {
        value.strip_suffix(':').unwrap_or(value).len()
    } else {
        value.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, span: Span) -> (usize, usize, &str) {
        let (line, col) = LineIndex::new(text).line_col(text, span.start);
        (line, col, &text[span.start..span.end])
    }

    fn load_ok(text: &str) -> Loaded {
        load(Path::new("x.yml"), text).expect("loads")
    }

    #[test]
    fn loads_values_with_aliases_and_keeps_the_first_duplicate() {
        let text = "a: &n 1\nb: *n\nc: [x, 'y']\na: 2\n";
        let loaded = load_ok(text);
        assert_eq!(loaded.value, serde_json::json!({"a": 1, "b": 1, "c": ["x", "y"]}));
        assert_eq!(loaded.duplicates, vec![Duplicate { parent: vec![], key: "a".into(), occurrence: 1 }]);
    }

    #[test]
    fn locates_keys_values_and_list_items() {
        let text = "top:\n  k: \"quoted: v\" # c\n  list:\n    - one\n    - {a: [1, 2]}\n";
        let loc = Locator::new(text);
        let k = loc.span(&keys(&["top", "k"]), Part::Value).unwrap();
        assert_eq!(at(text, k), (2, 6, "\"quoted: v\""));
        let key = loc.span(&keys(&["top", "k"]), Part::Key).unwrap();
        assert_eq!(at(text, key), (2, 3, "k"));
        let mut path = keys(&["top", "list"]);
        path.push(Step::Index(1));
        assert_eq!(at(text, loc.span(&path, Part::Value).unwrap()), (5, 7, "{a: [1, 2]}"));
        path.push(Step::key("a"));
        path.push(Step::Index(1));
        assert_eq!(at(text, loc.span(&path, Part::Value).unwrap()), (5, 15, "2"));
        assert_eq!(loc.span(&keys(&["top", "missing"]), Part::Value), None);
        assert_eq!(loc.span(&keys(&["top", "k", "deeper"]), Part::Value), None);
    }

    #[test]
    fn lookups_stop_when_their_budget_is_spent() {
        let text = "a: 1\n";
        let loc = Locator::with_budget(text, 3 * text.len());
        let found: Vec<bool> = (0..4).map(|_| loc.span(&keys(&["a"]), Part::Value).is_some()).collect();
        assert_eq!(found, [true, true, true, false]);
    }

    #[test]
    fn reports_repeated_keys_at_the_repeat_with_the_first_line() {
        let text = "m:\n  a: 1\n  b: 2\n  a: 3\n  a: 4\n";
        let loaded = load_ok(text);
        let loc = Locator::new(text);
        let d: Vec<_> = loaded.duplicates.iter().map(|dup| loc.duplicate(Path::new("x.yml"), dup)).collect();
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].message, "duplicate key `a` in `m`");
        assert_eq!(at(text, d[0].span.unwrap()), (4, 3, "a"));
        assert_eq!(at(text, d[1].span.unwrap()), (5, 3, "a"));
        assert_eq!(d[1].notes, vec!["`a` is first defined at line 2"]);
    }

    #[test]
    fn syntax_errors_carry_the_crate_location() {
        let text = "a: 1\nb: [1, 2\nc: 3\n";
        let d = load(Path::new("x.yml"), text).unwrap_err();
        assert_eq!(d.code, "yaml-syntax");
        assert!(d.message.starts_with("invalid YAML: "), "{}", d.message);
        assert!(!d.message.contains(" at line 3 column 2,"), "{}", d.message);
        let (line, _, _) = at(text, d.span.unwrap());
        assert_eq!(line, 3);
    }

    #[test]
    fn tags_and_complex_keys_are_type_errors() {
        let d = load(Path::new("x.yml"), "a: !custom 1\n").unwrap_err();
        assert_eq!(d.code, "data-type");
        let d = load(Path::new("x.yml"), "? [a, b]\n: 1\n").unwrap_err();
        assert_eq!(d.code, "data-type");
        assert!(d.message.contains("plain value"), "{}", d.message);
    }

    #[test]
    fn node_ends_cover_the_written_value() {
        let text = "&a !t 'it''s' rest";
        assert_eq!(&text[..node_end(text, 0)], "&a !t 'it''s'");
        let text = "plain words # comment";
        assert_eq!(&text[..node_end(text, 0)], "plain words");
        let text = "key:\n";
        assert_eq!(&text[..node_end(text, 0)], "key");
    }
}
