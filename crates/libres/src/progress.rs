//! Progress bars on stderr, shown only to a person at a terminal.
//!
//! Scripts and tests read stderr for errors; a bar redrawn a hundred times
//! would bury them, so when stderr is not a terminal every bar is hidden.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::Duration;

/// The bar for bytes of a file.
const BYTES: &str = "{msg:12} [{bar:40}] {bytes}/{total_bytes} ({eta})";
/// The bar for items.
const ITEMS: &str = "{msg:12} [{bar:40}] {human_pos}/{human_len} ({eta})";
/// The spinner.
const SPINNER: &str = "{spinner} {msg} ({elapsed})";

fn visible() -> bool {
    std::io::stderr().is_terminal()
}

fn style(template: &str) -> ProgressStyle {
    // The templates are the constants above, checked by a test; should one
    // ever be wrong, the default style is better than failing the import
    // over a bar.
    ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar())
}

/// A bar counting bytes of a file being read.
fn bytes_named(total: u64, message: &str) -> ProgressBar {
    if !visible() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(style(BYTES));
    bar.set_message(message.to_owned());
    bar
}

/// A bar counting items (rows, persons).
pub fn items(total: u64, message: &'static str) -> ProgressBar {
    items_named(total, message)
}

fn items_named(total: u64, message: &str) -> ProgressBar {
    if !visible() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(style(ITEMS));
    bar.set_message(message.to_owned());
    bar
}

/// A spinner for one long step whose length is unknown (a transaction).
pub fn spinner(message: String) -> ProgressBar {
    if !visible() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(style(SPINNER));
    bar.set_message(message);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Progress of `libres-app`'s long steps, as bars on a terminal.
#[derive(Default)]
pub struct Bars(std::sync::Mutex<Option<ProgressBar>>);

impl Bars {
    fn slot(&self) -> std::sync::MutexGuard<'_, Option<ProgressBar>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl libres_app::Progress for Bars {
    fn begin(&self, step: &str, total: Option<u64>, unit: libres_app::Unit) {
        let bar = match (total, unit) {
            (Some(n), libres_app::Unit::Bytes) => bytes_named(n, step),
            (Some(n), libres_app::Unit::Items) => items_named(n, step),
            (None, _) => spinner(step.to_owned()),
        };
        if let Some(old) = self.slot().replace(bar) {
            old.finish_and_clear();
        }
    }

    fn reach(&self, done: u64) {
        if let Some(bar) = &*self.slot() {
            bar.set_position(done);
        }
    }

    fn end(&self) {
        if let Some(bar) = self.slot().take() {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_is_one_indicatif_understands() {
        // A template indicatif rejects would quietly fall back to the
        // default bar; an indicatif upgrade must not do that unnoticed.
        for template in [BYTES, ITEMS, SPINNER] {
            assert!(ProgressStyle::with_template(template).is_ok(), "{template}");
        }
    }
}
