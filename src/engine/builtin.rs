//! The two findings the engine itself produces: a file that is not JSON, and a file that
//! breaks the schema. They are not policy, so they live here rather than in `rules/`.

use crate::finding::Severity;
use crate::lang::Text;

pub struct BuiltinRule {
    pub id: &'static str,
    pub severity: Severity,
    pub title: (&'static str, &'static str),
    pub fix: (&'static str, &'static str),
}

pub const SYNTAX: BuiltinRule = BuiltinRule {
    id: "inventory-syntax",
    severity: Severity::Error,
    title: ("JSON として読めないファイル", "File is not valid JSON"),
    fix: (
        "示された場所の記号（カンマ、括弧、引用符）を直してください。表計算ソフトではなくテキストエディタで編集し、UTF-8 で保存します",
        "Fix the punctuation (commas, brackets, quotes) at the place shown; edit the file in a text editor and save it as UTF-8",
    ),
};

pub const SCHEMA: BuiltinRule = BuiltinRule {
    id: "inventory-schema",
    severity: Severity::Error,
    title: ("台帳の形式（スキーマ）違反", "Inventory breaks the schema"),
    fix: (
        "schemas/inventory.schema.json の形式に合わせてください（rurume schema で表示できます）。形式の誤りを直すまで、このファイルの規則は評価されません",
        "Make the file follow schemas/inventory.schema.json (printed by `rurume schema`); the policy rules are not evaluated on this file until it does",
    ),
};

/// The article column for engine findings: they are about the format, not an article.
pub const NO_ARTICLE: &str = "—";

pub const ALL: [&BuiltinRule; 2] = [&SYNTAX, &SCHEMA];

impl BuiltinRule {
    pub fn title(&self) -> Text {
        Text::new(self.title.0, self.title.1)
    }

    pub fn fix(&self) -> Text {
        Text::new(self.fix.0, self.fix.1)
    }
}
