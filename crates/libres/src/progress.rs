//! Progress bars on stderr, shown only to a person at a terminal.
//!
//! Scripts and tests read stderr for errors; a bar redrawn a hundred times
//! would bury them, so when stderr is not a terminal every bar is hidden.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

fn visible() -> bool {
    std::io::stderr().is_terminal()
}

fn style(template: &str) -> ProgressStyle {
    // The templates are constants written below; should one ever be wrong,
    // the default style is better than failing the import over a bar.
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// A bar counting bytes of a file being read.
pub fn bytes(total: u64, message: &'static str) -> ProgressBar {
    if !visible() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(style("{msg:12} [{bar:40}] {bytes}/{total_bytes} ({eta})"));
    bar.set_message(message);
    bar
}

/// A bar counting items (rows, persons).
pub fn items(total: u64, message: &'static str) -> ProgressBar {
    if !visible() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(style("{msg:12} [{bar:40}] {human_pos}/{human_len} ({eta})"));
    bar.set_message(message);
    bar
}

/// A spinner for one long step whose length is unknown (a transaction).
pub fn spinner(message: String) -> ProgressBar {
    if !visible() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(style("{spinner} {msg} ({elapsed})"));
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
