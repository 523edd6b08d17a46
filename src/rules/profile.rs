//! Profiles: the built-in rule sets, one folder of `rules/` each. `rurume` is the
//! るるめネット policy (the default), `mhlw` the MHLW guideline and cybersecurity
//! checklist. `--profile` (repeatable or comma-separated) and `profiles = [...]` in
//! `rurume.toml` choose those in force; the engine's own findings belong to every profile.

use crate::lang::Lang;

/// Every built-in profile, in the order of `rules/`'s folders (alphabetical).
pub const ALL: &[&str] = super::builtin::PROFILES;

/// The profile in force when nothing names one.
pub const DEFAULT: &str = "rurume";

/// A profile name that no built-in profile has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownProfile {
    pub name: String,
}

impl UnknownProfile {
    /// The message, in the user's language, with the list of profiles.
    pub fn message(&self, lang: Lang) -> String {
        let list = ALL.join(", ");
        match lang {
            Lang::Ja => format!(
                "プロファイル `{}` はありません。使えるプロファイル: {list}",
                self.name
            ),
            Lang::En => format!("unknown profile `{}`; the profiles are: {list}", self.name),
        }
    }
}

/// The profiles named by `--profile` values (each may list several, comma-separated),
/// without repeats, in [`ALL`]'s order. Blank entries (`rurume,`) are ignored.
pub fn parse<S: AsRef<str>>(values: &[S]) -> Result<Vec<String>, UnknownProfile> {
    let mut named = Vec::new();
    for value in values {
        for name in value.as_ref().split(',').map(str::trim) {
            if name.is_empty() {
                continue;
            }
            if !ALL.contains(&name) {
                return Err(UnknownProfile {
                    name: name.to_owned(),
                });
            }
            named.push(name.to_owned());
        }
    }
    Ok(ALL
        .iter()
        .filter(|p| named.iter().any(|n| n == *p))
        .map(|p| (*p).to_owned())
        .collect())
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
