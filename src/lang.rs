//! Message language and bilingual text.

use serde::{Deserialize, Serialize};

/// The language messages are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Lang {
    Ja,
    #[default]
    En,
}

impl Lang {
    /// The user's language for messages, when `--lang` is not given.
    ///
    /// The POSIX order for the messages category: the first of `LC_ALL`, `LC_MESSAGES`,
    /// `LANG` that is set and not empty decides (`ja*` → Japanese, anything else, `C`
    /// included, English). The variables are read, not the C library's locale: the locale
    /// need not be installed, and `LC_CTYPE` (what sys-locale reads on Unix) is the wrong
    /// category. When none is set, Windows and macOS give the user's UI language; other
    /// systems English. With only `LANG` set this is the contract's rule (cli.md).
    pub fn from_env() -> Lang {
        let var = |name: &str| std::env::var(name).ok();
        Self::from_posix_vars(
            var("LC_ALL").as_deref(),
            var("LC_MESSAGES").as_deref(),
            var("LANG").as_deref(),
        )
        .unwrap_or_else(|| Self::from_locale(ui_locale().as_deref()))
    }

    /// The language named by the first set, non-empty variable of the POSIX order, if any.
    pub fn from_posix_vars(
        lc_all: Option<&str>,
        lc_messages: Option<&str>,
        lang: Option<&str>,
    ) -> Option<Lang> {
        [lc_all, lc_messages, lang]
            .into_iter()
            .flatten()
            .find(|v| !v.is_empty())
            .map(|v| Self::from_locale(Some(v)))
    }

    pub fn from_locale(locale: Option<&str>) -> Lang {
        match locale {
            Some(l) if l.starts_with("ja") => Lang::Ja,
            _ => Lang::En,
        }
    }

    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }
}

/// The user's interface language on Windows and macOS (`ja-JP`, `en-US`, …).
#[cfg(any(windows, target_os = "macos"))]
fn ui_locale() -> Option<String> {
    sys_locale::get_locale()
}

/// Elsewhere the environment variables are the user's choice; without them, English.
#[cfg(not(any(windows, target_os = "macos")))]
fn ui_locale() -> Option<String> {
    None
}

/// A text in both languages. Rule files carry every user-facing text this way.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub ja: String,
    pub en: String,
}

impl Text {
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            ja: ja.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.ja, &self.en)
    }

    /// Apply the same transformation to both languages.
    pub fn map(&self, mut f: impl FnMut(&str) -> String) -> Text {
        Text {
            ja: f(&self.ja),
            en: f(&self.en),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_detection() {
        assert_eq!(Lang::from_locale(Some("ja_JP.UTF-8")), Lang::Ja);
        assert_eq!(Lang::from_locale(Some("ja")), Lang::Ja);
        assert_eq!(Lang::from_locale(Some("en_US.UTF-8")), Lang::En);
        assert_eq!(Lang::from_locale(Some("C")), Lang::En);
        assert_eq!(Lang::from_locale(None), Lang::En);
        assert_eq!(Lang::from_locale(Some("ja-JP")), Lang::Ja);
    }

    #[test]
    fn posix_order_for_messages() {
        let ja = Some("ja_JP.UTF-8");
        let en = Some("en_US.UTF-8");
        assert_eq!(Lang::from_posix_vars(ja, en, en), Some(Lang::Ja));
        assert_eq!(Lang::from_posix_vars(en, ja, ja), Some(Lang::En));
        assert_eq!(Lang::from_posix_vars(None, ja, en), Some(Lang::Ja));
        assert_eq!(
            Lang::from_posix_vars(Some(""), Some(""), ja),
            Some(Lang::Ja)
        );
        assert_eq!(Lang::from_posix_vars(Some("C"), None, ja), Some(Lang::En));
        assert_eq!(Lang::from_posix_vars(None, None, None), None);
        assert_eq!(Lang::from_posix_vars(Some(""), None, Some("")), None);
    }
}
