//! `rurume password`.

use std::process::ExitCode;

use super::{Failure, ListFormat, PasswordArgs, load_rules, print, today};
use crate::inventory::walk;
use crate::output;

/// A problem with `rurume password`'s input: exit 2. Never carries the password.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{0}")]
#[diagnostic(code(password))]
struct PasswordError(String);

pub fn password(args: PasswordArgs) -> Result<ExitCode, Failure> {
    use crate::password::{self as pw, input, record};
    let lang = super::lang(args.set.lang);
    let rules = load_rules(args.set.rules.as_ref(), lang)?;
    if let Some(path) = &args.inventory {
        super::require_existing(path, lang)?;
    }
    let as_of = today();
    let fail = |t: crate::lang::Text| Failure::from(PasswordError(t.get(lang).to_owned()));
    let context = match (&args.inventory, &args.account) {
        (Some(path), Some(id)) => {
            Some(record::find_account(path, id).map_err(|e| fail(e.message()))?)
        }
        _ => None,
    };
    let prompt = lang.pick(
        "パスワード（入力は表示されません）: ",
        "Password (input is not shown): ",
    );
    let secret = input::read(prompt).map_err(|e| fail(e.message()))?;
    let doc_and_index = context
        .as_ref()
        .and_then(|(inv, i)| inv.document().map(|d| (d.root().to_value(), *i)));
    let assessment = pw::assess(
        &secret,
        doc_and_index.as_ref().map(|(v, i)| (v, *i)),
        &rules,
        as_of,
    );
    drop(secret);
    let recorded = match (&context, args.record, &args.inventory) {
        (Some((inv, i)), true, Some(path)) => {
            let text = record::updated_text(inv, *i, &assessment.properties)
                .map_err(|e| fail(e.message()))?;
            record::write_atomically(path, record::has_bom(path), &text)
                .map_err(|e| fail(e.message()))?;
            Some(format!(
                "{} /accounts/{i}/password",
                walk::display_path(path)
            ))
        }
        _ => None,
    };
    let text = match args.format {
        ListFormat::Human => output::password::human(&assessment, recorded.as_deref(), lang),
        ListFormat::Json => output::password::json(&assessment, recorded.as_deref(), lang),
    };
    print(&text);
    Ok(if assessment.passes() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
