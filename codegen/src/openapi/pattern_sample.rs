//! A short string a `pattern` matches, for sample values: the pattern is parsed
//! (`regex-syntax`), then each part gives its plainest match: a literal itself, a class a
//! letter or digit it holds, a repetition its least count (at least one), an alternation its
//! first branch. `^[A-Z]{2}$` gives `AA`; `^([0-9]+(ms|s))+$` gives `0ms`. A pattern the parser
//! does not take (ECMAScript look-arounds) gives none.

use regex_syntax::hir::{Class, Hir, HirKind};

/// The longest sample made; a pattern asking for more gives none.
const MAX_LENGTH: usize = 256;

/// A string `pattern` matches, if one is found.
pub(crate) fn sample(pattern: &str) -> Option<String> {
    let hir = regex_syntax::ParserBuilder::new().build().parse(pattern).ok()?;
    let mut out = String::new();
    write(&hir, &mut out)?;
    Some(out)
}

fn write(hir: &Hir, out: &mut String) -> Option<()> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => {}
        HirKind::Literal(literal) => out.push_str(std::str::from_utf8(&literal.0).ok()?),
        HirKind::Class(Class::Unicode(class)) => {
            let plain = ['a', 'A', '0', '_', '-']
                .into_iter()
                .find(|c| class.ranges().iter().any(|r| (r.start()..=r.end()).contains(c)));
            out.push(plain.or_else(|| class.ranges().first().map(|range| range.start()))?);
        }
        HirKind::Class(Class::Bytes(class)) => {
            let byte = class.ranges().first()?.start();
            out.push(char::from(byte).is_ascii().then_some(char::from(byte))?);
        }
        HirKind::Repetition(repetition) => {
            let times = repetition.min.max(1).min(repetition.max.unwrap_or(u32::MAX));
            for _ in 0..times {
                write(&repetition.sub, out)?;
                if out.len() > MAX_LENGTH {
                    return None;
                }
            }
        }
        HirKind::Capture(capture) => write(&capture.sub, out)?,
        HirKind::Concat(parts) => parts.iter().try_for_each(|part| write(part, out))?,
        HirKind::Alternation(branches) => write(branches.first()?, out)?,
    }
    (out.len() <= MAX_LENGTH).then_some(())
}

#[cfg(test)]
mod tests {
    use super::sample;

    #[test]
    fn each_pattern_gets_a_string_it_matches() {
        for (pattern, expected) in [
            ("^[A-Z]{2,2}$", "AA"),
            ("^([0-9]+([.][0-9]+)?(ns|us|µs|ms|s|m|h))+$", "0.0ns"),
            ("^(v3|v4)$", "v3"),
            ("[0-9]{2,}", "00"),
            (r"^\d{3}-\w+$", "000-a"),
            ("^a?b*$", "ab"),
        ] {
            assert_eq!(sample(pattern).as_deref(), Some(expected), "{pattern}");
        }
        assert_eq!(sample("^(?=x)y$"), None, "a look-ahead the parser does not take");
        assert_eq!(sample("^a{1000}$"), None, "longer than a sample is");
    }
}
