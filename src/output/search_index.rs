//! Write stage: the search index in pieces that a reader fetches per query, as Pagefind does,
//! instead of one file with every page's text:
//!
//! - `search/meta.json`: the page count, the chunk size and a version (a hash of the index) that
//!   the other fetches carry as `?v=`, so that a browser's cache never serves one build's piece
//!   for another's; `search.js` asks for meta again after a minute and starts over on a new
//!   version.
//! - `search/t/<hex>.json`: every term whose first two characters are `<hex>` (their UTF-8 in hex),
//!   with its postings: `{"term": [page, weight, page, weight, …]}`, pages delta-coded.
//! - `search/pages.json`: `[title, URL, section]` of every page, fetched with meta when the
//!   search box gets focus, so that results show as soon as their words' term files arrive.
//! - `search/p/<n>.json`: pages `n * CHUNK ..` as an array of entries (title, URL, section,
//!   description, headings, body text) for the excerpts, filled in when they arrive.
//!
//! A query fetches one term file per word and one page chunk per shown result.

use crate::error::{Error, Result};
use crate::output::Sink;
use crate::render::search::Terms;
#[cfg(test)]
use crate::render::search::MAX_TERM_CHARS;
use crate::render::SearchEntry;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// Pages per page chunk: small enough that ten results fetch little, big enough that a site of
/// 10,000 pages has 1,000 chunk files, not 10,000.
pub const CHUNK: usize = 10;
/// Which term file holds `term`: its first two characters, their UTF-8 bytes in hex.
pub fn shard_of(term: &str) -> String {
    let end = term.char_indices().nth(2).map_or(term.len(), |(at, _)| at);
    term.as_bytes()[..end].iter().map(|b| format!("{b:02x}")).collect()
}

/// One term's postings (page id, weight), pages ascending, and their `"term":[…]` JSON, so that
/// a `serve` edit re-serializes only the terms it changed.
#[derive(Debug, Default, Clone)]
struct Postings {
    list: Vec<(u32, u16)>,
    json: String,
}

impl Postings {
    fn new(term: &str, list: Vec<(u32, u16)>) -> Postings {
        let mut postings = Postings { list, json: String::new() };
        postings.serialize(term);
        postings
    }

    /// `"term":[page,weight,…]`, each page as the difference from the previous one (small
    /// numbers: a word on every page costs about four bytes a page).
    fn serialize(&mut self, term: &str) {
        use std::fmt::Write;
        self.json.clear();
        self.json.push_str(&serde_json::to_string(term).expect("a string serializes"));
        self.json.push_str(":[");
        let mut previous = 0;
        for (i, (page, weight)) in self.list.iter().enumerate() {
            let comma = if i > 0 { "," } else { "" };
            let _ = write!(self.json, "{comma}{},{weight}", page - previous);
            previous = *page;
        }
        self.json.push(']');
    }
}

/// What changed between two pages' terms: the terms gone, and the terms new or with a new
/// weight.
fn differences<'a>(old: &'a Terms, new: &'a Terms) -> (Vec<&'a str>, Vec<(&'a str, u16)>) {
    let (mut gone, mut set) = (Vec::new(), Vec::new());
    let (mut o, mut n) = (old.iter().peekable(), new.iter().peekable());
    loop {
        match (o.peek(), n.peek()) {
            (Some(a), Some(b)) if a.0 == b.0 => {
                if a.1 != b.1 {
                    set.push(*b);
                }
                o.next();
                n.next();
            }
            (Some(a), Some(b)) if a.0 < b.0 => gone.push(o.next().expect("peeked").0),
            (Some(_), Some(_)) | (None, Some(_)) => set.push(n.next().expect("peeked")),
            (Some(_), None) => gone.push(o.next().expect("peeked").0),
            (None, None) => return (gone, set),
        }
    }
}

/// Term → postings, by term file; kept by `serve` between edits.
#[derive(Debug, Default, Clone)]
pub struct TermIndex {
    shards: BTreeMap<String, BTreeMap<String, Postings>>,
}

impl TermIndex {
    /// The index of pages whose terms are `pages[id]`.
    pub fn new<'a>(pages: impl Iterator<Item = &'a Terms>) -> TermIndex {
        // A hash map first: most of the work is appending postings to terms already seen
        // (FxHash: a million short keys from our own pages, no need for a keyed hash).
        let mut postings: FxHashMap<&str, Vec<(u32, u16)>> = FxHashMap::default();
        for (id, terms) in pages.enumerate() {
            for (term, weight) in terms.iter() {
                postings.entry(term).or_default().push((id as u32, weight));
            }
        }
        TermIndex::from_postings(postings)
    }

    /// The index of term → postings, each list in page order.
    fn from_postings<K: AsRef<str> + Send>(postings: FxHashMap<K, Vec<(u32, u16)>>) -> TermIndex {
        // Serialized in parallel: most of the index's JSON is postings.
        let postings: Vec<(String, String, Postings)> = postings
            .into_par_iter()
            .map(|(term, list)| {
                let term = term.as_ref();
                (shard_of(term), term.to_string(), Postings::new(term, list))
            })
            .collect();
        let mut shards: BTreeMap<String, BTreeMap<String, Postings>> = BTreeMap::new();
        for (shard, term, postings) in postings {
            shards.entry(shard).or_default().insert(term, postings);
        }
        TermIndex { shards }
    }

    /// Replaces page `id`'s terms `old` with `new` (both sorted by term, as [`crate::render::search::page_terms`] gives
    /// them); returns the shards that changed. Only the terms that differ are touched: a page
    /// re-rendered because a page it links to changed usually has the same terms.
    pub fn update(&mut self, id: usize, old: &Terms, new: &Terms) -> Vec<String> {
        let id = id as u32;
        let (gone, set) = differences(old, new);
        let mut touched: Vec<(String, String)> = Vec::new();
        for term in gone {
            let shard = shard_of(term);
            if let Some(list) = self.shards.get_mut(&shard).and_then(|terms| terms.get_mut(term)) {
                list.list.retain(|(page, _)| *page != id);
            }
            touched.push((shard, term.to_string()));
        }
        for (term, weight) in set {
            let shard = shard_of(term);
            let postings = self.shards.entry(shard.clone()).or_default().entry(term.to_string()).or_default();
            let at = postings.list.partition_point(|(page, _)| *page < id);
            match postings.list.get_mut(at) {
                Some(posting) if posting.0 == id => posting.1 = weight,
                _ => postings.list.insert(at, (id, weight)),
            }
            touched.push((shard, term.to_string()));
        }
        touched.sort_unstable();
        touched.dedup();
        for (shard, term) in &touched {
            let terms = self.shards.get_mut(shard).expect("touched above");
            match terms.get_mut(term) {
                Some(postings) if postings.list.is_empty() => {
                    terms.remove(term);
                }
                Some(postings) => postings.serialize(term),
                None => {}
            }
            if terms.is_empty() {
                self.shards.remove(shard);
            }
        }
        let mut shards: Vec<String> = touched.into_iter().map(|(shard, _)| shard).collect();
        shards.dedup();
        shards
    }

    pub fn shards(&self) -> impl Iterator<Item = &str> {
        self.shards.keys().map(String::as_str)
    }

    /// The term file of `shard`: `{"term":[page,weight,…],…}`. `None` once every term of the
    /// shard is gone.
    pub fn shard_json(&self, shard: &str) -> Option<String> {
        let terms = self.shards.get(shard).filter(|t| !t.is_empty())?;
        let mut out = String::with_capacity(terms.values().map(|p| p.json.len() + 1).sum::<usize>() + 2);
        out.push('{');
        for (n, postings) in terms.values().enumerate() {
            if n > 0 {
                out.push(',');
            }
            out.push_str(&postings.json);
        }
        out.push('}');
        Some(out)
    }
}

/// The index's files with a hash of each, so that the version (a hash of all of them) costs
/// nothing when `serve` replaces a few.
#[derive(Debug, Default, Clone)]
pub struct SearchFiles {
    pub terms: TermIndex,
    /// Term file path → (text, hash).
    shards: BTreeMap<String, (String, [u8; 32])>,
    /// Chunk `n`: the entries of pages `n * CHUNK ..` as JSON.
    chunks: Vec<(String, [u8; 32])>,
    /// Each page's `[title, URL, section]`, and `search/pages.json` made of them.
    rows: Vec<String>,
    pages: (String, [u8; 32]),
}

impl SearchFiles {
    pub fn new(search: &[SearchEntry]) -> SearchFiles {
        // The term map is built on one core (appending postings in page order) while the other
        // writes the page chunks: neither waits for the other.
        let ((terms, shards), (chunks, (rows, pages))) = rayon::join(
            || {
                let terms = TermIndex::new(search.iter().map(|e| &e.terms));
                let shards: Vec<&str> = terms.shards().collect();
                let shards =
                    shards.into_par_iter().filter_map(|shard| Some((shard.to_string(), hashed(terms.shard_json(shard)?)))).collect();
                (terms, shards)
            },
            || {
                let chunks = search.par_chunks(CHUNK).map(|chunk| hashed(chunk_json(chunk))).collect();
                let rows: Vec<String> = search.par_iter().map(row_json).collect();
                let pages = hashed(pages_json(&rows));
                (chunks, (rows, pages))
            },
        );
        SearchFiles { terms, shards, chunks, rows, pages }
    }

    /// Page `id`'s entry is now `search[id]` (same pages, same order: a page edit in `serve`),
    /// and its terms were `old_terms`. Returns the paths of the files that changed (written or,
    /// for a term file, gone).
    pub fn update(&mut self, id: usize, search: &[SearchEntry], old_terms: &Terms) -> Vec<String> {
        let entry = &search[id];
        let mut changed = Vec::new();
        for shard in self.terms.update(id, old_terms, &entry.terms) {
            let path = term_path(&shard);
            let json = self.terms.shard_json(&shard);
            if json.as_ref() == self.shards.get(&shard).map(|(text, _)| text) {
                continue;
            }
            match json {
                Some(json) => self.shards.insert(shard, hashed(json)),
                None => self.shards.remove(&shard),
            };
            changed.push(path);
        }
        let n = id / CHUNK;
        let end = ((n + 1) * CHUNK).min(search.len());
        self.chunks[n] = hashed(chunk_json(&search[n * CHUNK..end]));
        changed.push(chunk_path(n));
        let row = row_json(entry);
        if row != self.rows[id] {
            self.rows[id] = row;
            self.pages = hashed(pages_json(&self.rows));
            changed.push(PAGES_PATH.into());
        }
        changed
    }

    /// The text of the index file at `path`, if it exists.
    pub fn file(&self, path: &str) -> Option<&str> {
        if path == PAGES_PATH {
            return Some(&self.pages.0);
        }
        if let Some(shard) = path.strip_prefix(TERMS_DIR).and_then(|p| p.strip_suffix(".json")) {
            return self.shards.get(shard).map(|(text, _)| text.as_str());
        }
        let n: usize = path.strip_prefix(CHUNKS_DIR)?.strip_suffix(".json")?.parse().ok()?;
        self.chunks.get(n).map(|(text, _)| text.as_str())
    }

    /// Every file of the index: output path → text.
    pub fn files(&self) -> Vec<(String, &str)> {
        let mut files: Vec<(String, &str)> = Vec::with_capacity(self.shards.len() + self.chunks.len() + 1);
        files.push((PAGES_PATH.into(), self.pages.0.as_str()));
        files.extend(self.shards.iter().map(|(shard, (text, _))| (term_path(shard), text.as_str())));
        files.extend(self.chunks.iter().enumerate().map(|(n, (text, _))| (chunk_path(n), text.as_str())));
        files
    }

    /// `search/meta.json`: what `search.js` reads before its first term file.
    pub fn meta_json(&self) -> String {
        let shards = self.shards.iter().map(|(shard, (_, hash))| (shard.as_str(), hash));
        meta_json(self.rows.len(), shards, self.chunks.iter().map(|(_, hash)| hash), &self.pages.1)
    }
}

/// The index written while a build writes its pages, in page order: each chunk of [`CHUNK`]
/// pages goes to the sink as soon as its last page arrives, and a page's body and terms are
/// dropped once they are in. A build never holds every page's text (at 10,000 pages the
/// bodies, terms and chunks held to the end were 130 MB, a third of the build's memory), and
/// the work is done beside rendering rather than after it. Writes the same files as
/// [`SearchFiles::new`] (see the tests).
pub struct IndexWriter {
    /// How many pages the index is for: pages `0..pages`, each added once.
    pages: usize,
    postings: FxHashMap<Box<str>, Vec<(u32, u16)>>,
    /// Pages that arrived before one with a smaller id, by id.
    waiting: BTreeMap<usize, SearchEntry>,
    /// The pages of the chunk being filled.
    chunk: Vec<SearchEntry>,
    chunk_hashes: Vec<[u8; 32]>,
    rows: Vec<String>,
}

impl IndexWriter {
    /// The index of pages `0..pages`.
    pub fn new(pages: usize) -> Self {
        IndexWriter {
            pages,
            postings: FxHashMap::default(),
            waiting: BTreeMap::new(),
            chunk: Vec::with_capacity(CHUNK),
            chunk_hashes: Vec::new(),
            rows: Vec::with_capacity(pages),
        }
    }

    /// Adds page `id`, in any order (in page order nothing waits). A page outside `0..pages` or
    /// added twice is an internal error: the index would point searches at the wrong pages.
    pub fn add(&mut self, id: usize, entry: SearchEntry, sink: &dyn Sink) -> Result<()> {
        if id >= self.pages || id < self.rows.len() || self.waiting.contains_key(&id) {
            return Err(Error::Internal(format!("search index: page {id} added twice or not one of {} pages", self.pages)));
        }
        self.waiting.insert(id, entry);
        while let Some(entry) = self.waiting.remove(&self.rows.len()) {
            let page = self.rows.len() as u32;
            for (term, weight) in entry.terms.iter() {
                match self.postings.get_mut(term) {
                    Some(list) => list.push((page, weight)),
                    None => drop(self.postings.insert(term.into(), vec![(page, weight)])),
                }
            }
            self.rows.push(row_json(&entry));
            self.chunk.push(SearchEntry { terms: Terms::default(), ..entry });
            if self.chunk.len() == CHUNK {
                self.write_chunk(sink)?;
            }
        }
        Ok(())
    }

    fn write_chunk(&mut self, sink: &dyn Sink) -> Result<()> {
        let (text, hash) = hashed(chunk_json(&self.chunk));
        sink.write(&chunk_path(self.chunk_hashes.len()), text.as_bytes())?;
        self.chunk_hashes.push(hash);
        self.chunk.clear();
        Ok(())
    }

    /// Writes the last chunk, the term files, `search/pages.json` and `search/meta.json`.
    pub fn finish(mut self, sink: &dyn Sink) -> Result<()> {
        if self.rows.len() < self.pages {
            return Err(Error::Internal(format!("search index: page {} of {} never arrived", self.rows.len(), self.pages)));
        }
        if !self.chunk.is_empty() {
            self.write_chunk(sink)?;
        }
        let terms = TermIndex::from_postings(self.postings);
        let shards: Vec<&str> = terms.shards().collect();
        let shards: Vec<(&str, [u8; 32])> = shards
            .into_par_iter()
            .filter_map(|shard| Some((shard, terms.shard_json(shard)?)))
            .map(|(shard, json)| {
                let (text, hash) = hashed(json);
                sink.write(&term_path(shard), text.as_bytes()).map(|()| (shard, hash))
            })
            .collect::<Result<_>>()?;
        let (pages, pages_hash) = hashed(pages_json(&self.rows));
        sink.write(PAGES_PATH, pages.as_bytes())?;
        let meta = meta_json(self.rows.len(), shards.iter().map(|(shard, hash)| (*shard, hash)), self.chunk_hashes.iter(), &pages_hash);
        sink.write(META_PATH, meta.as_bytes())
    }
}

pub const META_PATH: &str = "search/meta.json";
const PAGES_PATH: &str = "search/pages.json";
const TERMS_DIR: &str = "search/t/";
const CHUNKS_DIR: &str = "search/p/";

fn term_path(shard: &str) -> String {
    format!("{TERMS_DIR}{shard}.json")
}

fn chunk_path(n: usize) -> String {
    format!("{CHUNKS_DIR}{n}.json")
}

/// `search/meta.json`: the page count, the chunk size, and a version that is a hash of every
/// other file's hash (term files by shard, then chunks, then `pages.json`).
fn meta_json<'a>(
    pages: usize,
    shards: impl Iterator<Item = (&'a str, &'a [u8; 32])>,
    chunks: impl Iterator<Item = &'a [u8; 32]>,
    pages_hash: &[u8; 32],
) -> String {
    let mut hasher = blake3::Hasher::new();
    for (shard, hash) in shards {
        hasher.update(shard.as_bytes());
        hasher.update(hash);
    }
    for hash in chunks {
        hasher.update(hash);
    }
    hasher.update(pages_hash);
    let version = &hasher.finalize().to_hex()[..16];
    serde_json::json!({ "pages": pages, "chunk": CHUNK, "version": version }).to_string()
}

fn hashed(text: String) -> (String, [u8; 32]) {
    let hash = *blake3::hash(text.as_bytes()).as_bytes();
    (text, hash)
}

/// A page's row of `search/pages.json`: `[title, URL, section]` (section `null` for the home page).
fn row_json(entry: &SearchEntry) -> String {
    serde_json::to_string(&(&entry.title, &entry.url, &entry.section)).expect("strings serialize")
}

/// `search/pages.json` from its rows.
fn pages_json(rows: &[String]) -> String {
    format!("[{}]", rows.join(","))
}

fn chunk_json(entries: &[SearchEntry]) -> String {
    serde_json::to_string(entries).expect("search entries serialize")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::search::page_terms;

    #[test]
    fn only_the_terms_that_differ_are_touched() {
        let (old, new) = (Terms::from_sorted(&[("a", 2), ("b", 2), ("c", 4)]), Terms::from_sorted(&[("b", 2), ("c", 6), ("d", 2)]));
        let (gone, set) = differences(&old, &new);
        assert_eq!(gone, ["a"]);
        assert_eq!(set, [("c", 6), ("d", 2)]);
        assert_eq!(differences(&new, &new), (vec![], vec![]));
        assert_eq!(new.iter().collect::<Vec<_>>(), [("b", 2), ("c", 6), ("d", 2)]);
    }

    fn entry(title: &str, body: &str) -> SearchEntry {
        let mut e =
            SearchEntry { title: title.into(), url: format!("/{}/", title.to_lowercase()), body: body.into(), ..SearchEntry::default() };
        e.terms = page_terms(&e);
        e
    }

    #[test]
    fn terms_weigh_by_where_they_are() {
        let mut e = entry("Rotate Keys", "Rotate the key; rotate it again. Keys, keys.");
        e.headings = vec!["Steps".into()];
        e.description = Some("How to rotate".into());
        let terms: BTreeMap<String, u16> = page_terms(&e).iter().map(|(t, w)| (t.to_string(), w)).collect();
        assert_eq!(terms["rotate"], 40 + 2 * 2, "the title's weight, plus the body's occurrences");
        assert_eq!(terms["steps"], 15);
        assert_eq!(terms["how"], 10);
        assert_eq!(terms["keys"], 40 + 2 * 2);
        assert_eq!(terms["the"], 2);
        assert!(!terms.contains_key(""), "no empty term");
        let long = entry("x", &"a".repeat(MAX_TERM_CHARS + 1));
        assert!(long.terms.iter().all(|(t, _)| t.len() <= MAX_TERM_CHARS));
        assert_eq!(entry("x", "").terms.iter().collect::<Vec<_>>(), [("x", 40)]);
    }

    #[test]
    fn shards_are_the_first_two_characters_in_hex() {
        assert_eq!(shard_of("rotate"), "726f");
        assert_eq!(shard_of("a"), "61");
        assert_eq!(shard_of("été"), "c3a974");
    }

    #[test]
    fn postings_are_delta_coded_and_an_update_equals_a_fresh_index() {
        let pages = vec![entry("Alpha", "rotate"), entry("Beta", "other"), entry("Gamma", "rotate")];
        let files = SearchFiles::new(&pages);
        assert_eq!(files.terms.shard_json("726f").unwrap(), r#"{"rotate":[0,2,2,2]}"#);
        let mut edited = pages.clone();
        edited[1] = entry("Beta", "rotate rotate");
        let mut updated = files.clone();
        let changed = updated.update(1, &edited, &pages[1].terms);
        let fresh = SearchFiles::new(&edited);
        assert_eq!(updated.files(), fresh.files(), "`other` is gone with its shard");
        assert_eq!(updated.meta_json(), fresh.meta_json());
        assert_ne!(files.meta_json(), fresh.meta_json(), "the version changes with the index");
        assert_eq!(changed, ["search/t/6f74.json", "search/t/726f.json", "search/p/0.json"], "`beta` is the same; `other` gone");
        assert_eq!(updated.file("search/t/6f74.json"), None);
        assert_eq!(updated.file("search/t/726f.json"), fresh.file("search/t/726f.json"));
    }

    /// Records every write, so that a file written twice shows.
    #[derive(Default)]
    struct Recorder(std::sync::Mutex<Vec<(String, String)>>);

    impl Sink for Recorder {
        fn write(&self, path: &str, bytes: &[u8]) -> Result<()> {
            self.0.lock().unwrap().push((path.to_string(), String::from_utf8(bytes.to_vec()).unwrap()));
            Ok(())
        }
    }

    /// What `IndexWriter` writes for `entries` added in the order of `order`: each file once.
    fn written(entries: &[SearchEntry], order: &[usize]) -> Result<BTreeMap<String, String>> {
        let sink = Recorder::default();
        let mut writer = IndexWriter::new(entries.len());
        for &id in order {
            writer.add(id, entries.get(id).cloned().unwrap_or_default(), &sink)?;
        }
        writer.finish(&sink)?;
        let writes = sink.0.into_inner().unwrap();
        let files: BTreeMap<String, String> = writes.iter().cloned().collect();
        assert_eq!(files.len(), writes.len(), "no file is written twice");
        Ok(files)
    }

    #[test]
    fn an_index_written_page_by_page_equals_one_built_at_once() {
        let words = ["rotate keys", "scan images", "rotate tokens", "triage reports"];
        // No page, one, a full last chunk, two, and a partial last chunk.
        for pages in [0, 1, CHUNK, 2 * CHUNK, 2 * CHUNK + 3] {
            let entries: Vec<SearchEntry> = (0..pages).map(|i| entry(&format!("P{i}"), words[i % words.len()])).collect();
            let index = SearchFiles::new(&entries);
            let mut expected: BTreeMap<String, String> = index.files().into_iter().map(|(path, text)| (path, text.to_string())).collect();
            expected.insert(META_PATH.into(), index.meta_json());
            let in_order: Vec<usize> = (0..pages).collect();
            assert_eq!(written(&entries, &in_order).unwrap(), expected, "{pages} pages");
            let reversed: Vec<usize> = in_order.iter().rev().copied().collect();
            assert_eq!(written(&entries, &reversed).unwrap(), expected, "{pages} pages, last first: each waits for the ones before it");
        }
    }

    #[test]
    fn an_index_missing_or_repeating_a_page_is_an_error_not_a_shifted_index() {
        let entries: Vec<SearchEntry> = (0..3).map(|i| entry(&format!("P{i}"), "word")).collect();
        let error = |order: &[usize]| written(&entries, order).unwrap_err().to_string();
        assert_eq!(error(&[0, 2]), "internal error: search index: page 1 of 3 never arrived");
        assert_eq!(error(&[0, 1]), "internal error: search index: page 2 of 3 never arrived", "the last page too");
        assert_eq!(error(&[0, 0, 1, 2]), "internal error: search index: page 0 added twice or not one of 3 pages");
        assert_eq!(error(&[2, 2, 0, 1]), "internal error: search index: page 2 added twice or not one of 3 pages");
        assert_eq!(error(&[0, 1, 3]), "internal error: search index: page 3 added twice or not one of 3 pages");
    }

    #[test]
    fn files_are_terms_and_chunks_of_pages() {
        let entries: Vec<SearchEntry> = (0..CHUNK + 1).map(|i| entry(&format!("P{i}"), "word")).collect();
        let index = SearchFiles::new(&entries);
        let files: BTreeMap<String, &str> = index.files().into_iter().collect();
        assert!(files.contains_key("search/p/0.json") && files.contains_key("search/p/1.json") && !files.contains_key("search/p/2.json"));
        assert!(files.contains_key("search/t/776f.json"), "word");
        let rows: serde_json::Value = serde_json::from_str(files["search/pages.json"]).unwrap();
        assert_eq!(rows[CHUNK], serde_json::json!([format!("P{CHUNK}"), format!("/p{CHUNK}/"), null]));
        let meta: serde_json::Value = serde_json::from_str(&index.meta_json()).unwrap();
        assert_eq!(meta["pages"], CHUNK + 1);
        assert_eq!(meta["version"].as_str().unwrap().len(), 16);
        let chunk: serde_json::Value = serde_json::from_str(files["search/p/1.json"]).unwrap();
        assert_eq!(chunk[0]["title"], format!("P{CHUNK}"));
        assert!(chunk[0].get("terms").is_none(), "terms live in the term files only");
    }
}
