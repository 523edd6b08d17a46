//! How `rurume` without arguments was started, and what it then does: typed in a terminal,
//! a short usage; double-clicked (Explorer on Windows, a desktop launcher elsewhere), the
//! self-check page in the browser; from a script or a pipe, a usage error.

use std::io::IsTerminal;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Someone typed `rurume` at a prompt.
    Terminal,
    /// Started by a double-click: nobody can type, but someone is looking.
    DoubleClick,
    /// A script, a pipe, a service: nobody is there.
    Script,
}

/// Decides from the console (Windows) or the terminal and the desktop session (elsewhere).
pub fn how_started() -> Start {
    if started_from_explorer() {
        return Start::DoubleClick;
    }
    let var = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    decide(
        std::io::stdin().is_terminal(),
        std::io::stdout().is_terminal(),
        var("DISPLAY") || var("WAYLAND_DISPLAY"),
        var("CI"),
    )
}

/// Without a terminal, a program started from a desktop session (a launcher, a file
/// manager) is double-clicked; a CI job never is, even with a display.
pub fn decide(stdin_terminal: bool, stdout_terminal: bool, desktop: bool, ci: bool) -> Start {
    match (stdin_terminal, stdout_terminal, desktop && !ci) {
        (true, _, _) => Start::Terminal,
        (false, false, true) => Start::DoubleClick,
        _ => Start::Script,
    }
}

/// On Windows, a program double-clicked in Explorer gets a console of its own: it is the
/// only process attached to it (in a prompt, the shell is attached too).
#[cfg(windows)]
fn started_from_explorer() -> bool {
    let mut ids = [0u32; 2];
    // SAFETY: the buffer and its length agree; the call only writes into it.
    let n = unsafe {
        windows_sys::Win32::System::Console::GetConsoleProcessList(
            ids.as_mut_ptr(),
            ids.len() as u32,
        )
    };
    n == 1
}

#[cfg(not(windows))]
fn started_from_explorer() -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_terminal_a_launcher_and_a_script() {
        assert_eq!(decide(true, true, true, false), Start::Terminal);
        assert_eq!(decide(true, false, false, false), Start::Terminal);
        assert_eq!(decide(false, false, true, false), Start::DoubleClick);
        assert_eq!(
            decide(false, false, true, true),
            Start::Script,
            "CI never double-clicks"
        );
        assert_eq!(decide(false, false, false, false), Start::Script);
        assert_eq!(
            decide(false, true, true, false),
            Start::Script,
            "output to a terminal: typed"
        );
    }
}
