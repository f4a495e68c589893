//! Render stage: readable syntax colours. syntect's bundled themes have colours (comments,
//! numbers) below WCAG AA's 4.5:1 on the theme's code background; the shipped stylesheets move
//! each such colour towards black (on a light background) or white (on a dark one), in small
//! steps, until it reaches 4.5:1 on the background it is drawn on.

/// WCAG AA for normal text.
pub const MIN_CONTRAST: f64 = 4.5;

/// `css` (syntect's stylesheet) with every `color` readable on its rule's `background-color`, or
/// on `code_background` when the rule sets none. Other colours are unchanged.
pub fn readable_css(css: &str, code_background: [u8; 3]) -> String {
    let mut out = String::with_capacity(css.len());
    for (n, rule) in css.split('}').enumerate() {
        if n > 0 {
            out.push('}');
        }
        let background = property(rule, "background-color").and_then(parse_hex).unwrap_or(code_background);
        let mut rest = rule;
        while let Some(at) = find_color(rest) {
            let value_start = at + "color: ".len();
            out.push_str(&rest[..value_start]);
            let value = &rest[value_start..];
            let end = value.find(';').unwrap_or(value.len());
            match parse_hex(&value[..end]) {
                Some(color) => out.push_str(&hex(readable(color, background))),
                None => out.push_str(&value[..end]),
            }
            rest = &value[end..];
        }
        out.push_str(rest);
    }
    out
}

/// The first `color: ` that is not part of another property's name (`background-color`).
fn find_color(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(at) = text[from..].find("color: ").map(|i| from + i) {
        if at == 0 || text[..at].ends_with(|c: char| c.is_whitespace() || c == ';' || c == '{') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn property<'a>(rule: &'a str, name: &str) -> Option<&'a str> {
    let at = rule.find(&format!("{name}: "))? + name.len() + 2;
    rule[at..].split(';').next().map(str::trim)
}

fn parse_hex(value: &str) -> Option<[u8; 3]> {
    let digits = value.trim().strip_prefix('#').filter(|d| d.len() == 6)?;
    let byte = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
    Some([byte(0)?, byte(2)?, byte(4)?])
}

fn hex(color: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", color[0], color[1], color[2])
}

/// `color`, moved towards black or white (whichever contrasts more with the background) until
/// it reads at [`MIN_CONTRAST`] on `background`; black or white itself when nothing between does.
pub fn readable(color: [u8; 3], background: [u8; 3]) -> [u8; 3] {
    let target: f64 = if contrast([0; 3], background) >= contrast([255; 3], background) { 0.0 } else { 255.0 };
    let mut mixed = color;
    for step in 0..=50 {
        let t = f64::from(step) / 50.0;
        mixed = color.map(|c| (f64::from(c) + (target - f64::from(c)) * t).round() as u8);
        if contrast(mixed, background) >= MIN_CONTRAST {
            break;
        }
    }
    mixed
}

/// WCAG 2 contrast ratio of two colours.
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn luminance(color: [u8; 3]) -> f64 {
    let channel = |c: u8| {
        let v = f64::from(c) / 255.0;
        if v <= 0.03928 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(color[0]) + 0.7152 * channel(color[1]) + 0.0722 * channel(color[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIGHT: [u8; 3] = [0xf6, 0xf8, 0xfa];
    const DARK: [u8; 3] = [0x18, 0x1b, 0x22];

    #[test]
    fn faint_colours_are_moved_until_they_read_and_good_ones_kept() {
        let comment = [0x96, 0x98, 0x96];
        assert!(contrast(comment, LIGHT) < MIN_CONTRAST);
        let fixed = readable(comment, LIGHT);
        assert!(contrast(fixed, LIGHT) >= MIN_CONTRAST && fixed[0] < comment[0], "{fixed:?}: darker");
        let dark_comment = [0x65, 0x73, 0x7e];
        let fixed = readable(dark_comment, DARK);
        assert!(contrast(fixed, DARK) >= MIN_CONTRAST && fixed[0] > dark_comment[0], "{fixed:?}: lighter");
        assert_eq!(readable([0x18, 0x36, 0x91], LIGHT), [0x18, 0x36, 0x91], "already 4.5:1");
    }

    #[test]
    fn each_rule_is_read_on_its_own_background() {
        let css = ".a {\n color: #969896;\n}\n.b {\n color: #b3b3b3;\n background-color: #000000;\n}\n";
        let out = readable_css(css, LIGHT);
        assert!(out.contains("background-color: #000000;"), "backgrounds are kept: {out}");
        assert!(out.contains(".b {\n color: #b3b3b3;"), "readable on its own black background: {out}");
        assert!(!out.contains(".a {\n color: #969896;"), "too faint on the page's background: {out}");
    }
}
