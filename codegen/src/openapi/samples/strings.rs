//! Sample strings: one for a string schema (by its format, its name or its pattern) and whether
//! a document's string fits its schema's pattern, length bounds and format.

use serde_json::Value;

/// A string for `schema`: by its format, else `<name>`, else (when that breaks the schema's
/// `pattern` or length bounds) the first of a few plain strings that fits them, the last
/// one made from the pattern itself.
pub(super) fn sample_string(schema: &Value, name: &str) -> String {
    let formatted = match schema.get("format").and_then(Value::as_str) {
        Some("email") => Some("user@example.com"),
        Some("date-time") => Some("2025-01-01T00:00:00Z"),
        Some("date") => Some("2025-01-01"),
        Some("byte") => Some("c2FtcGxl"),
        Some("uuid") => Some(UUID),
        Some("uri" | "url" | "uri-reference") => Some("https://example.com/"),
        Some("duration") => Some("PT1H"),
        Some("time") => Some("12:00:00Z"),
        Some("ipv4") => Some("192.0.2.1"),
        Some("ipv6") => Some("2001:db8::1"),
        Some("hostname") => Some("example.com"),
        _ if name.to_lowercase().ends_with("email") => Some("user@example.com"),
        _ => None,
    };
    if let Some(formatted) = formatted {
        return formatted.to_string();
    }
    let plain: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
    // A pattern that lists its values (`^(v3)$`, `^(asc|desc)$`): its first one.
    let listed = schema.get("pattern").and_then(Value::as_str).map(|pattern| {
        let inner = pattern.trim_start_matches('^').trim_end_matches('$');
        let inner = inner.strip_prefix('(').and_then(|rest| rest.strip_suffix(')')).unwrap_or(inner);
        inner.split('|').next().unwrap_or_default().to_string()
    });
    let candidates = [format!("<{name}>"), plain, "abc123".into(), "ABC".into(), "1".into(), UUID.into()];
    // A pattern that starts with a literal (`^adr_[a-z0-9]+$`): that prefix and plain characters.
    let prefixed = schema.get("pattern").and_then(Value::as_str).map(|pattern| {
        let prefix: String = pattern
            .trim_start_matches('^')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ':' | '/'))
            .collect();
        format!("{prefix}abc123")
    });
    let matched = schema.get("pattern").and_then(Value::as_str).and_then(super::super::pattern_sample::sample);
    let candidates =
        candidates.into_iter().chain(listed.filter(|value| !value.is_empty())).chain(prefixed).chain(matched);
    let fits = |text: &str| fits_string(schema, text);
    let min = schema.get("minLength").and_then(Value::as_u64).unwrap_or(0) as usize;
    candidates
        .flat_map(|candidate| {
            // Also each candidate repeated up to the minimum length.
            let repeated = candidate.repeat(min.div_ceil(candidate.len().max(1)).max(1));
            [candidate, repeated]
        })
        .find(|candidate| fits(candidate))
        .unwrap_or_else(|| format!("<{name}>"))
}

const UUID: &str = "00000000-0000-4000-8000-000000000000";

/// Whether `text` fits the string schema's `pattern` (ECMAScript, unanchored) and length bounds.
pub(super) fn fits_string(schema: &Value, text: &str) -> bool {
    let length = text.chars().count() as u64;
    let bound = |key: &str| schema.get(key).and_then(Value::as_u64);
    if bound("minLength").is_some_and(|min| length < min) || bound("maxLength").is_some_and(|max| length > max) {
        return false;
    }
    let pattern_fits = match schema.get("pattern").and_then(Value::as_str) {
        Some(pattern) => regress::Regex::new(pattern).map_or(true, |regex| regex.find(text).is_some()),
        None => true,
    };
    pattern_fits && fits_format(schema.get("format").and_then(Value::as_str), text)
}

/// Whether `text` reads as its `format` says, for the formats validators check (a URI
/// example with `<token>` in it, a UUID that is not one); any other format fits.
fn fits_format(format: Option<&str>, text: &str) -> bool {
    let digits = |part: &str, n: usize| part.len() == n && part.chars().all(|c| c.is_ascii_digit());
    let date = |text: &str| {
        let parts: Vec<&str> = text.split('-').collect();
        matches!(parts.as_slice(), [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2))
    };
    match format {
        Some("uri" | "url") => {
            text.split_once(':').is_some_and(|(scheme, _)| {
                !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            }) && !text.chars().any(|c| c.is_whitespace() || "<>\"{}|\\^`".contains(c))
        }
        Some("uuid") => {
            let groups: Vec<&str> = text.split('-').collect();
            groups.iter().map(|group| group.len()).eq([8, 4, 4, 4, 12])
                && groups.iter().all(|group| group.chars().all(|c| c.is_ascii_hexdigit()))
        }
        Some("email") => text.split_once('@').is_some_and(|(user, host)| !user.is_empty() && host.contains('.')),
        Some("date") => date(text),
        // ISO 8601 (`P1DT2H`, `PT30S`), as JSON Schema's `duration` is.
        Some("duration") => text.strip_prefix('P').is_some_and(|rest| {
            !rest.is_empty()
                && rest.chars().any(|c| c.is_ascii_digit())
                && rest.chars().all(|c| c.is_ascii_digit() || "YMWDTHS.".contains(c))
        }),
        Some("date-time") => {
            text.get(..10).is_some_and(date) && text.get(10..11).is_some_and(|t| t.eq_ignore_ascii_case("t"))
        }
        _ => true,
    }
}
