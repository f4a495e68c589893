//! Render stage: highlighted code written as nested `<span class="…">` elements, shared by both
//! highlighters. A span whose classes no stylesheet needs is not written, and one that closes with
//! nothing inside is removed rather than left empty.

pub struct Spans {
    out: String,
    /// For each open span, where its open tag starts and ends, if it was written.
    opened: Vec<Option<(usize, usize)>>,
}

impl Spans {
    pub fn new(code_len: usize) -> Self {
        Spans { out: String::with_capacity(code_len * 3), opened: Vec::new() }
    }

    /// Source text, escaped.
    pub fn text(&mut self, text: &str) {
        crate::html::escape_into(&mut self.out, text);
    }

    /// Opens a span with `class`, or an unwritten one when there is no class to give it.
    pub fn open(&mut self, class: Option<&str>) {
        self.opened.push(class.map(|class| {
            let start = self.out.len();
            self.out.push_str("<span class=\"");
            self.out.push_str(class);
            self.out.push_str("\">");
            (start, self.out.len())
        }));
    }

    /// Closes the innermost span; closing with none open does nothing.
    pub fn close(&mut self) {
        match self.opened.pop() {
            Some(Some((start, tag_end))) if self.out.len() == tag_end => self.out.truncate(start),
            Some(Some(_)) => self.out.push_str("</span>"),
            _ => {}
        }
    }

    /// The HTML, with every span still open closed.
    pub fn finish(mut self) -> String {
        while !self.opened.is_empty() {
            self.close();
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_classless_spans_are_not_written() {
        let mut spans = Spans::new(8);
        spans.open(Some("hl-a"));
        spans.open(None);
        spans.text("x<");
        spans.close();
        spans.open(Some("hl-b"));
        spans.close();
        spans.open(Some("hl-c"));
        spans.text("y");
        assert_eq!(spans.finish(), "<span class=\"hl-a\">x&lt;<span class=\"hl-c\">y</span></span>");
    }

    #[test]
    fn closing_more_than_was_opened_is_harmless() {
        let mut spans = Spans::new(1);
        spans.close();
        spans.text("z");
        assert_eq!(spans.finish(), "z");
    }
}
