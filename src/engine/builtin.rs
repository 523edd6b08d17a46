//! The two findings the engine itself produces: a file that is not JSON, and a file that
//! breaks the schema. They are not policy, so they live here rather than in `rules/`.

use crate::finding::Severity;
use crate::lang::Text;

pub struct BuiltinRule {
    pub id: &'static str,
    pub severity: Severity,
    pub title: (&'static str, &'static str),
    /// The audit matrix's column head.
    pub short: (&'static str, &'static str),
    pub fix: (&'static str, &'static str),
    /// The fix as the self-check page says it (no file names, no commands).
    pub page_fix: (&'static str, &'static str),
    pub why: (&'static str, &'static str),
}

pub const SYNTAX: BuiltinRule = BuiltinRule {
    id: "inventory-syntax",
    severity: Severity::Error,
    title: ("JSON として読めないファイル", "File is not valid JSON"),
    short: ("読めない", "Not JSON"),
    fix: (
        "メッセージが示す問題を直してください。構文の誤りなら示された場所の記号（カンマ、括弧、引用符）を直し、表計算ソフトではなくテキストエディタで編集して UTF-8 で保存します",
        "Fix what the message names. For a syntax error, fix the punctuation (commas, brackets, quotes) at the place shown; edit the file in a text editor and save it as UTF-8",
    ),
    page_fix: (
        "示された行の記号（カンマ、括弧、引用符）を直して UTF-8 で保存し、もう一度開いてください",
        "Fix the punctuation (commas, brackets, quotes) on the line shown, save the file as UTF-8 and open it again",
    ),
    why: (
        "JSON として読めないファイルは、どの規則でも点検できません。読めない部分に違反が隠れていても見つけられないため、まず読める形にする必要があります。構文の誤りのほか、UTF-8 ではない文字、違反を隠しうる重複したキー、範囲外の数値、127 段を超える入れ子、100 万個を超える要素の配列、上限（既定 50 MB）を超える大きさのファイル、読み取れないファイルやフォルダ、参照先のないシンボリックリンクもここで報告します。",
        "A file that is not JSON cannot be checked by any rule: whatever it holds stays unseen, so the file has to be readable before anything else. Besides syntax errors, this reports bytes that are not UTF-8, duplicate keys (which could hide a violation), numbers beyond the range of a double, nesting deeper than 127 levels, arrays of more than 1,000,000 items, files over the size limit (50 MB unless configured), files and folders that cannot be read, and symbolic links to nothing.",
    ),
};

pub const SCHEMA: BuiltinRule = BuiltinRule {
    id: "inventory-schema",
    severity: Severity::Error,
    title: ("台帳の形式（スキーマ）違反", "Inventory breaks the schema"),
    short: ("形式違反", "Schema"),
    fix: (
        "schemas/inventory.schema.json の形式に合わせてください（rurume schema で表示できます）。形式の誤りを直すまで、このファイルの規則は評価されません",
        "Make the file follow schemas/inventory.schema.json (printed by `rurume schema`); the policy rules are not evaluated on this file until it does",
    ),
    page_fix: (
        "この欄を直してください。形式の誤りがある間は、ポリシーの規則（第9条など）による点検は行われません",
        "Correct this field: while the format has errors, the policy rules (Article 9 and others) are not checked",
    ),
    why: (
        "形式に合わない台帳は、項目の意味が確かでないため、規則を当てても正しく判定できません。項目名の打ち間違いは違反を見逃させます（screen_lock を screenlock と書くと、画面ロックの点検が行われません）。",
        "The rules cannot trust a file that breaks the schema: a misspelt key would let a violation pass unnoticed (write screenlock for screen_lock and no screen-lock check runs).",
    ),
};

/// The article column for engine findings: they are about the format, not an article.
pub const NO_ARTICLE: &str = "—";

pub const ALL: [&BuiltinRule; 2] = [&SYNTAX, &SCHEMA];

impl BuiltinRule {
    pub fn title(&self) -> Text {
        Text::new(self.title.0, self.title.1)
    }

    pub fn short(&self) -> Text {
        Text::new(self.short.0, self.short.1)
    }

    pub fn fix(&self) -> Text {
        Text::new(self.fix.0, self.fix.1)
    }

    pub fn page_fix(&self) -> Text {
        Text::new(self.page_fix.0, self.page_fix.1)
    }

    pub fn why(&self) -> Text {
        Text::new(self.why.0, self.why.1)
    }
}
