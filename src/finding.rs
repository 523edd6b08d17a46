//! What a check produces: a finding of one rule at one place of one file.

use std::borrow::Cow;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::engine::template::{Texts, Values};
use crate::lang::{Lang, Text};

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Deserialize,
    Serialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Who reads a finding's words. The office, the command line and CI read the rule's
/// precise texts (field names, pointers), in which cross-file findings name the other
/// facilities' files. A facility reads the form's words: the self-check page and a letter
/// to a facility (`audit --letters`) both read the rule's page wording (`page_message`,
/// `page_fix`: the form's labels, which are also the workbook's headers) where the rule
/// has it, and say 「他の事業所」 for other facilities, by construction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Reader {
    #[default]
    Office,
    Facility,
    Page,
}

impl Reader {
    /// Whose words this reader reads: a facility's letter speaks the form, as the page
    /// does (the two differ in nothing a finding says).
    fn wording(self) -> Reader {
        match self {
            Reader::Facility => Reader::Page,
            reader => reader,
        }
    }
}

/// A finding before it is placed in the text. Positions are added once, for the findings
/// that survive, by the report step.
#[derive(Clone, Debug)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    /// The policy article the rule encodes, e.g. `第9条`.
    pub source: String,
    /// RFC 6901 pointer of the value the finding is about.
    pub pointer: String,
    pub words: Words,
    /// Pointer of the 第10条 exception that waives this finding, if one does.
    pub waived_by: Option<String>,
    /// The workbook cell of a finding about a cell the JSON cannot point at (an unknown
    /// column, text in a number cell); other findings take the cell of their pointer.
    pub cell: Option<crate::workbook::CellRef>,
}

/// What a finding says and how to fix it.
#[derive(Clone, Debug)]
pub enum Words {
    /// Texts written by the engine (syntax and schema errors); `page` is what the page
    /// says instead, when the engine words it differently there (form labels, not keys).
    Fixed {
        message: Text,
        fix: Text,
        page: Option<Box<(Text, Text)>>,
    },
    /// A rule's templates and the values of their placeholders, put into words when an
    /// output asks: a report of 100,000 findings holds a few values for each, not four
    /// texts.
    Template { texts: Arc<Texts>, values: Values },
}

impl Finding {
    /// An engine finding with the page's own wording.
    pub fn for_page(mut self, message: Text, fix: Text) -> Finding {
        if let Words::Fixed { page, .. } = &mut self.words {
            *page = Some(Box::new((message, fix)));
        }
        self
    }

    pub fn is_waived(&self) -> bool {
        self.waived_by.is_some()
    }

    /// The message, as the office and CI read it (a cross-file finding names the other
    /// files).
    pub fn message(&self, lang: Lang) -> Cow<'_, str> {
        self.message_for(lang, Reader::Office)
    }

    pub fn fix(&self, lang: Lang) -> Cow<'_, str> {
        self.fix_for(lang, Reader::Office)
    }

    /// The message as `reader` reads it: the page's wording names the form's labels.
    pub fn message_for(&self, lang: Lang, reader: Reader) -> Cow<'_, str> {
        let reader = reader.wording();
        match &self.words {
            Words::Fixed {
                page: Some(page), ..
            } if reader == Reader::Page => page.0.get(lang).into(),
            Words::Fixed { message, .. } => message.get(lang).into(),
            Words::Template { texts, values } => texts.message(values, lang, reader).into(),
        }
    }

    pub fn fix_for(&self, lang: Lang, reader: Reader) -> Cow<'_, str> {
        let reader = reader.wording();
        match &self.words {
            Words::Fixed {
                page: Some(page), ..
            } if reader == Reader::Page => page.1.get(lang).into(),
            Words::Fixed { fix, .. } => fix.get(lang).into(),
            Words::Template { texts, values } => texts.fix(values, lang, reader).into(),
        }
    }
}
