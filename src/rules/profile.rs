//! Profiles: the built-in rule sets, one folder of `rules/` each. `rurume` is the
//! るるめネット policy (the default), `mhlw` the MHLW guideline and cybersecurity
//! checklist. `--profile` (repeatable or comma-separated) and `profiles = [...]` in
//! `rurume.toml` choose those in force; the engine's own findings belong to every profile.

use std::path::Path;

use crate::lang::Lang;

/// Every built-in profile, in the order of `rules/`'s folders (alphabetical).
pub const ALL: &[&str] = super::builtin::PROFILES;

/// The profile in force when nothing names one.
pub const DEFAULT: &str = "rurume";

/// A profile name that the rule set does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProfile {
    pub name: String,
    /// The profiles there are.
    pub known: Vec<String>,
}

impl UnknownProfile {
    /// The message, in the user's language, with the list of profiles.
    pub fn message(&self, lang: Lang) -> String {
        let list = self.known.join(", ");
        match lang {
            Lang::Ja => format!(
                "プロファイル `{}` はありません。使えるプロファイル: {list}",
                self.name
            ),
            Lang::En => format!("unknown profile `{}`; the profiles are: {list}", self.name),
        }
    }
}

/// The built-in profiles, as owned names.
pub fn builtin() -> Vec<String> {
    ALL.iter().map(|p| (*p).to_owned()).collect()
}

/// The profiles named by `--profile` values (each may list several, comma-separated),
/// without repeats, in [`ALL`]'s order. Blank entries (`rurume,`) are ignored.
pub fn parse<S: AsRef<str>>(values: &[S]) -> Result<Vec<String>, UnknownProfile> {
    parse_among(values, &builtin())
}

/// [`parse`] among the profiles `known` (those of a rule folder laid out by profile), in
/// their order.
pub fn parse_among<S: AsRef<str>>(
    values: &[S],
    known: &[String],
) -> Result<Vec<String>, UnknownProfile> {
    let mut named = Vec::new();
    for value in values {
        for name in value.as_ref().split(',').map(str::trim) {
            if name.is_empty() {
                continue;
            }
            if !known.iter().any(|k| k == name) {
                return Err(UnknownProfile {
                    name: name.to_owned(),
                    known: known.to_vec(),
                });
            }
            named.push(name.to_owned());
        }
    }
    Ok(known
        .iter()
        .filter(|p| named.iter().any(|n| n == *p))
        .cloned()
        .collect())
}

/// The profiles in force when nothing names one: [`DEFAULT`] when the set has it, else
/// every profile of the set.
pub fn default_among(known: &[String]) -> Vec<String> {
    match known.iter().any(|k| k == DEFAULT) {
        true => vec![DEFAULT.to_owned()],
        false => known.to_vec(),
    }
}

/// The profiles of a `--rules DIR` laid out as `rules/` is: its subfolders holding rule
/// files (`*.toml`), by name — when the folder itself holds no rule file (`checklist.toml`
/// is not one). `None` for a flat folder of rule files, which is one rule set.
pub fn in_folder(dir: &Path) -> Option<Vec<String>> {
    let entries: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    let is_toml = |p: &Path| p.extension().is_some_and(|e| e == "toml");
    if entries
        .iter()
        .any(|p| p.is_file() && is_toml(p) && !is_checklist(p))
    {
        return None;
    }
    let mut profiles: Vec<String> = entries
        .iter()
        .filter(|p| p.is_dir())
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_owned();
            let has_rules = std::fs::read_dir(p)
                .ok()?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .any(|f| f.is_file() && is_toml(&f));
            (has_rules && !name.starts_with('.')).then_some(name)
        })
        .collect();
    profiles.sort();
    (!profiles.is_empty()).then_some(profiles)
}

/// `checklist.toml`: the checklist's mapping, never a rule file.
pub fn is_checklist(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == super::CHECKLIST)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_read_repeated_or_comma_separated_in_a_fixed_order() {
        assert_eq!(parse(&["mhlw,rurume"]).unwrap(), ["mhlw", "rurume"]);
        assert_eq!(
            parse(&["rurume", "mhlw", "mhlw"]).unwrap(),
            ["mhlw", "rurume"]
        );
        assert_eq!(parse(&[" rurume , "]).unwrap(), ["rurume"]);
        let e = parse(&["rurume,nist"]).unwrap_err();
        assert_eq!(e.name, "nist");
        assert!(e.message(Lang::En).contains("mhlw, rurume"));
        let local = ["local".to_owned(), "rurume".to_owned()];
        assert_eq!(parse_among(&["rurume,local"], &local).unwrap(), local);
        assert!(
            parse_among(&["mhlw"], &local)
                .unwrap_err()
                .message(Lang::En)
                .contains("local, rurume")
        );
        assert_eq!(default_among(&local), ["rurume"]);
        assert_eq!(default_among(&["a".to_owned(), "b".to_owned()]), ["a", "b"]);
        assert!(
            e.message(Lang::Ja)
                .contains("プロファイル `nist` はありません")
        );
    }

    #[test]
    fn the_default_is_a_builtin_profile() {
        assert!(ALL.contains(&DEFAULT));
        assert!(ALL.contains(&"mhlw"));
    }
}
