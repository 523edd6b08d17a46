//! Reading the one password: from the terminal without echo, or one line of stdin.

use std::io::{IsTerminal, Read};

use crate::lang::Text;

/// Why no password could be read. None of these ever contains the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputError {
    Empty,
    ControlCharacters,
    NotUtf8,
    /// The two entries of a terminal's "again" prompt differ.
    Mismatch,
    Io(String),
}

impl InputError {
    pub fn message(&self) -> Text {
        match self {
            InputError::Empty => {
                Text::new("パスワードが入力されていません", "no password was entered")
            }
            InputError::ControlCharacters => Text::new(
                "パスワードに改行や制御文字が含まれています。1行で入力してください",
                "the password contains a line break or a control character; enter it on one line",
            ),
            InputError::NotUtf8 => {
                Text::new("入力が UTF-8 ではありません", "the input is not UTF-8")
            }
            InputError::Mismatch => Text::new(
                "1回目と2回目の入力が一致しません。何も記録していません",
                "the two entries differ; nothing was recorded",
            ),
            InputError::Io(e) => Text::new(
                format!("入力を読めません（{e}）"),
                format!("cannot read the input ({e})"),
            ),
        }
    }
}

/// Reads the password: without echo from a terminal, else one line of stdin.
pub fn read(prompt: &str) -> Result<String, InputError> {
    if std::io::stdin().is_terminal() {
        let line =
            rpassword::prompt_password(prompt).map_err(|e| InputError::Io(e.kind().to_string()))?;
        return validate(line);
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| InputError::Io(e.kind().to_string()))?;
    parse_piped(bytes)
}

/// Reads the password to record: from a terminal twice, without echo, and both entries
/// must be the same (a typo would be recorded unseen); else one line of stdin, as [`read`].
pub fn read_twice(prompt: &str, again: &str) -> Result<String, InputError> {
    if !std::io::stdin().is_terminal() {
        return read(prompt);
    }
    let io = |e: std::io::Error| InputError::Io(e.kind().to_string());
    let first = validate(rpassword::prompt_password(prompt).map_err(io)?)?;
    let second = rpassword::prompt_password(again).map_err(io)?;
    if first != second {
        return Err(InputError::Mismatch);
    }
    Ok(first)
}

/// One line: a single trailing `\n` or `\r\n` is the end of the line, anything else a
/// control character is refused.
pub fn parse_piped(bytes: Vec<u8>) -> Result<String, InputError> {
    let mut text = String::from_utf8(bytes).map_err(|_| InputError::NotUtf8)?;
    if text.ends_with('\n') {
        text.pop();
        if text.ends_with('\r') {
            text.pop();
        }
    }
    validate(text)
}

fn validate(text: String) -> Result<String, InputError> {
    if text.is_empty() {
        return Err(InputError::Empty);
    }
    if text.chars().any(char::is_control) {
        return Err(InputError::ControlCharacters);
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_is_accepted() {
        assert_eq!(
            parse_piped(b"Sakura#2026\n".to_vec()).unwrap(),
            "Sakura#2026"
        );
        assert_eq!(
            parse_piped(b"Sakura#2026\r\n".to_vec()).unwrap(),
            "Sakura#2026"
        );
        assert_eq!(
            parse_piped("さくら2026".as_bytes().to_vec()).unwrap(),
            "さくら2026"
        );
    }

    #[test]
    fn bad_input_is_refused() {
        assert_eq!(parse_piped(b"".to_vec()), Err(InputError::Empty));
        assert_eq!(parse_piped(b"\n".to_vec()), Err(InputError::Empty));
        assert_eq!(
            parse_piped(b"two\nlines\n".to_vec()),
            Err(InputError::ControlCharacters)
        );
        assert_eq!(
            parse_piped(b"tab\there".to_vec()),
            Err(InputError::ControlCharacters)
        );
        assert_eq!(parse_piped(b"\xff\xfe".to_vec()), Err(InputError::NotUtf8));
    }
}
