//! RFC 6901 JSON Pointer helpers. Pointers are kept as their string form everywhere,
//! because that is what every output prints and what exceptions' `target` holds.

/// Escapes one reference token (`~` → `~0`, `/` → `~1`).
pub fn escape_token(token: &str) -> std::borrow::Cow<'_, str> {
    if token.contains(['~', '/']) {
        token.replace('~', "~0").replace('/', "~1").into()
    } else {
        token.into()
    }
}

/// Undoes [`escape_token`] (`~1` → `/`, then `~0` → `~`).
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Appends one reference token to a pointer.
pub fn push(pointer: &str, token: &str) -> String {
    let token = escape_token(token);
    let mut out = String::with_capacity(pointer.len() + 1 + token.len());
    out.push_str(pointer);
    out.push('/');
    out.push_str(&token);
    out
}

/// True when `pointer` is `ancestor` itself or lies under it (token boundaries respected:
/// `/devices/1` is not under `/devices/10`... nor is `/devices/10` under `/devices/1`).
pub fn is_at_or_under(pointer: &str, ancestor: &str) -> bool {
    match pointer.strip_prefix(ancestor) {
        Some(rest) => rest.is_empty() || rest.starts_with('/'),
        None => false,
    }
}

/// The pointer itself and every pointer above it, innermost first (`/a/b`, `/a`, ``).
pub fn ancestors(pointer: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(pointer), |p| p.rfind('/').map(|i| &p[..i]))
}

/// Whether a string is a syntactically valid JSON Pointer.
pub fn is_valid(pointer: &str) -> bool {
    if pointer.is_empty() {
        return true;
    }
    if !pointer.starts_with('/') {
        return false;
    }
    let mut chars = pointer.chars();
    while let Some(c) = chars.next() {
        if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
            return false;
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_respects_token_boundaries() {
        assert!(is_at_or_under("/devices/1", "/devices/1"));
        assert!(is_at_or_under("/devices/1/apps/0", "/devices/1"));
        assert!(!is_at_or_under("/devices/10", "/devices/1"));
        assert!(is_at_or_under("/devices/10", ""));
        assert!(!is_at_or_under("/devices", "/devices/1"));
    }

    #[test]
    fn escaping_round_trips() {
        assert_eq!(push("/a", "b/c~d"), "/a/b~1c~0d");
        assert_eq!(push("", "x"), "/x");
    }

    #[test]
    fn ancestors_climb_to_the_root() {
        assert_eq!(
            ancestors("/a/b~1c/0").collect::<Vec<_>>(),
            ["/a/b~1c/0", "/a/b~1c", "/a", ""]
        );
        assert_eq!(ancestors("").collect::<Vec<_>>(), [""]);
    }

    #[test]
    fn validity() {
        assert!(is_valid(""));
        assert!(is_valid("/devices/0"));
        assert!(is_valid("/a~0b~1c"));
        assert!(!is_valid("devices/0"));
        assert!(!is_valid("/a~2"));
        assert!(!is_valid("/a~"));
    }
}
