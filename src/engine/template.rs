//! Message templates of rule files: `{name}` is the value at that path of the selected
//! item, `{value}` the value the finding points at, `{$param}` a rule parameter, and
//! `{other}` what a duplicate collides with. `{path|text}` prints `text` when the value is
//! missing, null or blank. `{{` and `}}` are literal braces.

use serde_json::Value;

use super::MASK;
use crate::inventory::pointer;
use crate::rules::condition::Params;

/// The reserved placeholder filled in once all files are known (cross-file rules).
pub const OTHER: &str = "{other}";

enum Piece<'a> {
    Literal(&'a str),
    Placeholder(&'a str),
}

fn pieces(template: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("{{") {
            out.push(Piece::Literal("{"));
            rest = r;
        } else if let Some(r) = rest.strip_prefix("}}") {
            out.push(Piece::Literal("}"));
            rest = r;
        } else if let Some(r) = rest.strip_prefix('{') {
            let end = r
                .find('}')
                .ok_or_else(|| format!("unclosed `{{` in message `{template}`"))?;
            out.push(Piece::Placeholder(&r[..end]));
            rest = &r[end + 1..];
        } else if rest.starts_with('}') {
            return Err(format!(
                "unmatched `}}` in message `{template}` (write `}}}}` for a brace)"
            ));
        } else {
            let end = rest.find(['{', '}']).unwrap_or(rest.len());
            out.push(Piece::Literal(&rest[..end]));
            rest = &rest[end..];
        }
    }
    Ok(out)
}

/// Validates a template when the rule file is loaded.
pub fn check(template: &str, params: &Params) -> Result<(), String> {
    for piece in pieces(template)? {
        if let Piece::Placeholder(name) = piece {
            if let Some(param) = name.strip_prefix('$') {
                if !params.contains_key(param) {
                    return Err(format!("message uses unknown parameter `{{${param}}}`"));
                }
            } else if name
                .split('|')
                .next()
                .is_none_or(|p| p.is_empty() || p.contains(char::is_whitespace))
            {
                return Err(format!(
                    "bad placeholder `{{{name}}}` in message `{template}`"
                ));
            }
        }
    }
    Ok(())
}

/// What a template is rendered against.
pub struct Context<'a> {
    pub root: &'a Value,
    pub item: &'a str,
    pub finding: &'a str,
    pub params: &'a Params,
    /// Pointers whose values are secrets and are never written out.
    pub secrets: &'a [String],
}

/// Writes a template with each placeholder replaced by `value(placeholder)`: the one
/// walk over a template that rendering, binding and describing share.
fn fill(template: &str, mut value: impl FnMut(&str) -> String) -> String {
    let Ok(pieces) = pieces(template) else {
        return template.to_owned();
    };
    let mut out = String::with_capacity(template.len() + 16);
    for piece in pieces {
        match piece {
            Piece::Literal(s) => out.push_str(s),
            Piece::Placeholder(p) => out.push_str(&value(p)),
        }
    }
    out
}

/// Renders a template; `{other}` is kept for [`fill_other`].
pub fn render(template: &str, cx: &Context) -> String {
    fill(template, |p| placeholder_value(p, cx))
}

/// The text of one placeholder (`name`, `name|fallback`, `$param`, `value`, `other`).
fn placeholder_value(placeholder: &str, cx: &Context) -> String {
    if placeholder == "other" {
        return OTHER.to_owned();
    }
    let (name, fallback) = match placeholder.split_once('|') {
        Some((name, fallback)) => (name, Some(fallback)),
        None => (placeholder, None),
    };
    if let Some(param) = name.strip_prefix('$') {
        return display(cx.params.get(param));
    }
    let shown = |v: Option<&Value>| match fallback {
        Some(fallback) if crate::rules::condition::is_empty(v) => fallback.to_owned(),
        _ => display(v),
    };
    // Without secrets in the file, the value is read straight from the item.
    if cx.secrets.is_empty()
        && name != "value"
        && let Some(item) = pointer::get(cx.root, cx.item)
    {
        return shown(crate::rules::condition::lookup(
            cx.root, cx.item, item, name,
        ));
    }
    let target = if name == "value" {
        Some(cx.finding.to_owned())
    } else {
        pointer::resolve(cx.item, name)
    };
    match target {
        Some(p) if cx.secrets.iter().any(|s| pointer::is_at_or_under(&p, s)) => MASK.to_owned(),
        Some(p) => shown(pointer::get(cx.root, &p)),
        None => fallback.unwrap_or("—").to_owned(),
    }
}

/// A template shown for the rule rather than for a finding (`rurume explain`, SARIF rule
/// help): parameters filled in, other placeholders shown as `<path>`.
pub fn describe(template: &str, params: &Params) -> String {
    fill(template, |placeholder| {
        let name = placeholder.split('|').next().unwrap_or_default();
        match name.strip_prefix('$') {
            Some(param) => display(params.get(param)),
            None => format!("<{name}>"),
        }
    })
}

/// The values a template's placeholders take for one item, resolved while the document is
/// at hand and put into the text later — for cross-file candidates, most of which are
/// never reported. Holds only the placeholders' values, not the rendered texts.
#[derive(Debug, Clone, Default)]
pub struct Bound {
    values: Vec<(String, String)>,
}

/// Resolves every placeholder of these templates (but `{other}`) for this context.
pub fn bind<'t>(templates: impl IntoIterator<Item = &'t str>, cx: &Context) -> Bound {
    let mut values: Vec<(String, String)> = Vec::new();
    for template in templates {
        for piece in pieces(template).unwrap_or_default() {
            if let Piece::Placeholder(p) = piece
                && p != "other"
                && !values.iter().any(|(k, _)| k == p)
            {
                values.push((p.to_owned(), placeholder_value(p, cx)));
            }
        }
    }
    Bound { values }
}

/// Renders a template with values bound earlier; `{other}` is kept for [`fill_other`].
pub fn render_bound(template: &str, bound: &Bound) -> String {
    fill(template, |p| match p {
        "other" => OTHER.to_owned(),
        p => bound
            .values
            .iter()
            .find(|(k, _)| k == p)
            .map_or_else(|| "—".to_owned(), |(_, v)| v.clone()),
    })
}

pub fn fill_other(message: &str, other: &str) -> String {
    message.replace(OTHER, other)
}

/// A value as messages show it: strings bare, lists joined, objects elided, missing `—`.
pub fn display(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => "—".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| display(Some(v)))
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::Object(_)) => "{…}".to_owned(),
        Some(v) => v.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_paths_params_values_and_braces() {
        let root = json!({ "accounts": [ { "name": "山田", "password": { "length": 6 } } ] });
        let params = Params::from([("min".to_owned(), json!(8))]);
        let cx = Context {
            root: &root,
            item: "/accounts/0",
            finding: "/accounts/0/password/length",
            params: &params,
            secrets: &[],
        };
        assert_eq!(
            render("{name}: {value} < {$min} {{x}} {other} {missing}", &cx),
            "山田: 6 < 8 {x} {other} —"
        );
    }

    #[test]
    fn secrets_are_masked() {
        let root = json!({ "a": { "password": "hunter22" } });
        let secrets = vec!["/a/password".to_owned()];
        let cx = Context {
            root: &root,
            item: "/a",
            finding: "/a/password",
            params: &Params::new(),
            secrets: &secrets,
        };
        assert_eq!(render("{password} {value}", &cx), format!("{MASK} {MASK}"));
    }

    #[test]
    fn bound_values_render_like_render() {
        let root = json!({ "accounts": [ { "name": "山田", "id": "a1" } ] });
        let params = Params::from([("min".to_owned(), json!(8))]);
        let cx = Context {
            root: &root,
            item: "/accounts/0",
            finding: "/accounts/0",
            params: &params,
            secrets: &[],
        };
        let template = "{name} ({id}) {$min} {missing|なし} {other} {{x}}";
        let bound = bind([template], &cx);
        assert_eq!(render_bound(template, &bound), render(template, &cx));
    }

    #[test]
    fn described_for_the_rule() {
        let params = Params::from([
            ("min".to_owned(), json!(8)),
            ("apps".to_owned(), json!(["a", "b"])),
        ]);
        assert_eq!(
            describe("{name|x} needs {$min} {{ok}} {$apps}", &params),
            "<name> needs 8 {ok} a, b"
        );
    }

    #[test]
    fn bad_templates_are_refused() {
        assert!(check("{$nope}", &Params::new()).is_err());
        assert!(check("{open", &Params::new()).is_err());
        assert!(check("close}", &Params::new()).is_err());
        assert!(check("{a b}", &Params::new()).is_err());
        assert!(check("ok {name} {{lit}} {a/b|なし}", &Params::new()).is_ok());
        assert!(check("{|x}", &Params::new()).is_err());
    }
}
